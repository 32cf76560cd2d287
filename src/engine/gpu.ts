/**
 * GPU check on start. `detectGpu()` reads WebGPU in this browser; `assessGpu()` (pure, unit-tested)
 * decides whether models can run and what to tell the user.
 *
 * "Limits too small" uses the limits web-llm 0.2.86 itself requests before loading any model
 * (tvmjs detectGPUDevice): it fails below maxBufferSize 256 MiB, maxStorageBufferBindingSize 128 MiB,
 * maxComputeWorkgroupStorageSize 32 KiB or maxStorageBuffersPerShaderStage 10. Every catalog model
 * needs at least that; individual records may ask more (buffer_size_required_bytes, see catalog.ts).
 */

export const MIN_LIMITS = {
  maxBufferSize: 256 * 2 ** 20,
  maxStorageBufferBindingSize: 128 * 2 ** 20,
  maxComputeWorkgroupStorageSize: 32 * 2 ** 10,
  maxStorageBuffersPerShaderStage: 10,
} as const;

export type LimitName = keyof typeof MIN_LIMITS;

export interface GpuLimits {
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
  maxComputeWorkgroupStorageSize?: number;
  maxStorageBuffersPerShaderStage?: number;
  maxComputeInvocationsPerWorkgroup?: number;
}

export interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
}

export interface GpuInput {
  /** `'gpu' in navigator` */
  hasWebGpu: boolean;
  /** Pages served over plain http (not localhost) get no WebGPU at all. */
  secureContext?: boolean;
  /** null when requestAdapter() resolved with no adapter (or threw). */
  adapter: null | { features: string[]; limits: GpuLimits; info?: GpuAdapterInfo; isFallbackAdapter?: boolean };
}

export type GpuStatus = 'ok' | 'no-webgpu' | 'no-adapter' | 'limits-too-small';

export interface GpuReport {
  status: GpuStatus;
  /** What was found, in one sentence. */
  reason: string;
  /** What to do about it (browser, flags, hardware); for 'ok' a note on f16 when it is missing. */
  advice: string;
  hasF16: boolean;
  maxBufferSize?: number;
  maxStorageBufferBindingSize?: number;
  limits: GpuLimits;
  info: GpuAdapterInfo;
  /** Limits below web-llm's minimum. */
  tooSmall: LimitName[];
  /** A software adapter (e.g. SwiftShader): works, but very slowly. */
  software: boolean;
}

const ENABLE_ADVICE =
  'Use a recent Chrome or Edge (113+), or Safari 26+. In Chrome on Linux, enable chrome://flags/#enable-unsafe-webgpu ' +
  '(and chrome://flags/#enable-vulkan); on Firefox, WebGPU is on by default on Windows since version 141, elsewhere set dom.webgpu.enabled in about:config.';

const MIB = 2 ** 20;

export function assessGpu(input: GpuInput): GpuReport {
  const base = { hasF16: false, limits: {}, info: {}, tooSmall: [] as LimitName[], software: false };
  if (!input.hasWebGpu) {
    if (input.secureContext === false) {
      return {
        ...base,
        status: 'no-webgpu',
        reason: 'WebGPU is only offered to secure pages, and this page is served over plain http.',
        advice: 'Open the app over https:// or from http://localhost.',
      };
    }
    return { ...base, status: 'no-webgpu', reason: 'This browser does not offer WebGPU.', advice: ENABLE_ADVICE };
  }
  const adapter = input.adapter;
  if (!adapter) {
    return {
      ...base,
      status: 'no-adapter',
      reason: 'WebGPU is present, but the browser found no usable GPU adapter.',
      advice:
        'Turn on hardware acceleration (chrome://settings/system), update the GPU driver, and check chrome://gpu for "WebGPU: Hardware accelerated". ' +
        'On Linux Chrome, enable chrome://flags/#enable-unsafe-webgpu and chrome://flags/#enable-vulkan. GPUs on a block list need chrome://flags/#ignore-gpu-blocklist.',
    };
  }
  const limits = adapter.limits;
  const info = adapter.info ?? {};
  const hasF16 = adapter.features.includes('shader-f16');
  const software =
    adapter.isFallbackAdapter === true ||
    /swiftshader|llvmpipe|software/i.test(`${info.architecture ?? ''} ${info.description ?? ''}`);
  const tooSmall = (Object.keys(MIN_LIMITS) as LimitName[]).filter((k) => {
    const v = limits[k];
    return v !== undefined && v < MIN_LIMITS[k];
  });
  const common = {
    hasF16,
    limits,
    info,
    software,
    tooSmall,
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
  };
  if (tooSmall.length > 0) {
    const list = tooSmall
      .map((k) => {
        const v = limits[k] ?? 0;
        return k === 'maxStorageBuffersPerShaderStage'
          ? `${k} ${v} (needs ${MIN_LIMITS[k]})`
          : `${k} ${(v / MIB).toFixed(v < MIB ? 3 : 0)} MiB (needs ${(MIN_LIMITS[k] / MIB).toFixed(MIN_LIMITS[k] < MIB ? 3 : 0)} MiB)`;
      })
      .join(', ');
    return {
      ...common,
      status: 'limits-too-small',
      reason: `This GPU's WebGPU limits are below what the smallest model needs: ${list}.`,
      advice: 'Try another browser (Chrome/Edge report the full hardware limits) or a device with a more capable GPU.',
    };
  }
  const gpuName = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'the GPU';
  const notes: string[] = [];
  if (!hasF16)
    notes.push('No shader-f16: the q4f32 variants of models are used (a little larger and slower than q4f16).');
  if (software) notes.push('This is a software (CPU) adapter: models run, but very slowly.');
  return { ...common, status: 'ok', reason: `WebGPU is available on ${gpuName}.`, advice: notes.join(' ') };
}

/** Reads WebGPU in this browser and assesses it. Never throws. */
export async function detectGpu(
  nav: Navigator | undefined = typeof navigator === 'undefined' ? undefined : navigator,
): Promise<GpuReport> {
  const secureContext = typeof isSecureContext === 'boolean' ? isSecureContext : undefined;
  const gpu = nav?.gpu;
  if (!gpu)
    return assessGpu(
      secureContext === undefined
        ? { hasWebGpu: false, adapter: null }
        : { hasWebGpu: false, secureContext, adapter: null },
    );
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    adapter = null;
  }
  if (!adapter) return assessGpu({ hasWebGpu: true, adapter: null });
  const l = adapter.limits;
  const i = adapter.info as GPUAdapterInfo | undefined;
  return assessGpu({
    hasWebGpu: true,
    adapter: {
      features: [...adapter.features],
      limits: {
        maxBufferSize: l.maxBufferSize,
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
        maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
        maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      },
      // adapter.info is Chrome 127+ / Safari; older builds only had requestAdapterInfo().
      info: i ? { vendor: i.vendor, architecture: i.architecture, description: i.description, device: i.device } : {},
      isFallbackAdapter: i?.isFallbackAdapter ?? false,
    },
  });
}
