import type { TrainerConfig } from '../../domain/model-spec/trainer-config.js';
import { BuiltinTrainer } from './builtin-trainer.js';
import { CommandTrainer, type CommandTrainerOptions } from './command-trainer.js';
import type { Trainer } from './port.js';

export * from './errors.js';
export * from './port.js';
export { BuiltinTrainer } from './builtin-trainer.js';
export { CommandTrainer, COMMAND_OUTPUT_FILES, TRAINER_COMMAND_CONTRACT } from './command-trainer.js';

/** Every trainer kind, keyed by the spec's `trainer.kind`. */
export type Trainers = { readonly [K in TrainerConfig['kind']]: Trainer };

/** The trainers over one work root (e.g. `.data/training`). */
export function createTrainers(options: CommandTrainerOptions): Trainers {
  return { builtin: new BuiltinTrainer(), command: new CommandTrainer(options) };
}
