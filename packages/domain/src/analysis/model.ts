import type { AnalysisModel } from "./model-call.ts";
import type { ModelSettings } from "./openai-model.ts";

/**
 * The analysis model behind OpenAI's SDK (openai-model.ts). The SDK, about 45 MB of modules,
 * loads with the first analysis rather than with the worker: a worker that runs none (idle,
 * or busy with notifications) never pays for it.
 */
export function createAnalysisModel(settings: ModelSettings): AnalysisModel {
  let loaded: Promise<AnalysisModel> | undefined;
  return {
    async analyze(messages, signal) {
      loaded ??= import("./openai-model.ts").then(({ createOpenAiModel }) => createOpenAiModel(settings));
      return (await loaded).analyze(messages, signal);
    },
  };
}
