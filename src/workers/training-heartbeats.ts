/**
 * The most a training worker lets a heartbeat wait before it goes to the server (worker
 * option `maxHeartbeatThrottleInterval`).
 *
 * Why so short: the SDK sends the first heartbeat at once, then holds later ones and sends
 * only the newest at the end of each throttle interval, which by default is 0.8 × the
 * activity's heartbeatTimeout: 24 s for training. A progress line's checkpoint is what a
 * retry resumes from, so a checkpoint held in a worker that is killed is lost with it; trials
 * lost 14-20 s of epochs per kill. With 1 s a checkpoint reaches the server at most 1 s after
 * the program reports it, so for epochs of a second or longer a kill loses at most the last
 * finished epoch (the retry resumes from epoch N-1 or N), and for faster epochs at most about
 * a second of work. The cost is at most one heartbeat call per second per running training,
 * and training runs a few at a time per worker. Cancellation reaches the activity through the
 * heartbeat response, so it arrives within a second too.
 *
 * Only the training worker gets it: the orchestration worker's activities are short and have
 * no checkpoint to lose.
 */
export const TRAINING_HEARTBEAT_THROTTLE = '1s';
