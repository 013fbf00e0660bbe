export { SAME_STOP_WINDOW_MS, onStopRequest, stopGracefully, type StopReason } from "./stop.ts";
export { primaryPrepared, superviseProcesses, type ClusterOptions } from "./cluster.ts";
export { heapLimitFlags, mallocEnvironment } from "./heap-limits.ts";
