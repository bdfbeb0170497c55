#!/usr/bin/env python3
"""Writes delivery-times.csv next to this file: 5,000 simulated food deliveries for the
regression example (examples/delivery-mlp-onnx.yaml). Deterministic (seeded), so re-running
it reproduces the checked-in file byte for byte.

delivery_hours = 0.1 + distance / speed(vehicle, weather) + 0.01 per item + 0.15 in the lunch
and dinner rush, times log-normal noise. Speed depends on vehicle and weather jointly and the
rush is a bump in `hour`, so a linear model underfits and a small neural net does better.
"""
import csv
import os

import numpy as np

ROWS = 5000
SPEED_KMH = {"bike": 14.0, "scooter": 24.0, "car": 30.0}
WEATHER_SLOWDOWN = {"clear": 1.0, "rain": 0.8, "snow": 0.55}


def main():
    rng = np.random.default_rng(20261130)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "delivery-times.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["order_id", "distance_km", "items", "hour", "weather", "vehicle", "delivery_hours"])
        for i in range(ROWS):
            distance = round(float(rng.uniform(0.3, 12.0)), 2)
            items = int(rng.integers(1, 16))
            hour = int(rng.integers(0, 24))
            weather = str(rng.choice(["clear", "rain", "snow"], p=[0.7, 0.22, 0.08]))
            vehicle = str(rng.choice(["bike", "scooter", "car"], p=[0.4, 0.35, 0.25]))
            speed = SPEED_KMH[vehicle] * WEATHER_SLOWDOWN[weather] * (0.75 if vehicle == "car" and hour in (12, 18, 19) else 1.0)
            rush = 0.15 if hour in (11, 12, 13, 17, 18, 19) else 0.0
            hours = (0.1 + distance / speed + 0.01 * items + rush) * float(rng.lognormal(0.0, 0.08))
            out.writerow([f"D{i:05d}", distance, items, hour, weather, vehicle, round(hours, 4)])


if __name__ == "__main__":
    main()
