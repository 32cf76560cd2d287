/** The web-llm version this app runs, and the model-library ABI it expects (web-llm's `modelVersion`). */
export const WEB_LLM_VERSION = '0.2.86';
export const MODEL_LIB_VERSION = 'v0_2_86';
