/**
 * The catalog, the model-library URLs and the README all assume one web-llm release (0.2.86): its
 * prebuilt libraries are compiled for that ABI (`v0_2_86`), and a library built for another version
 * fails to link. A caret range would let a fresh install pick a newer web-llm whose records and ABI
 * differ from the committed catalog, so the version is pinned, and these checks keep the pin, the
 * installed package and the generated catalog in step.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelVersion } from '@mlc-ai/web-llm';
import { CATALOG_MODEL_VERSION } from '../../../src/engine/catalog.ts';

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
}

function readJson(relative: string): PackageJson {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as PackageJson;
}

const pinned = readJson('../../../package.json').dependencies?.['@mlc-ai/web-llm'];
const installed = readJson('../../../node_modules/@mlc-ai/web-llm/package.json').version;

describe('web-llm version', () => {
  it('is pinned to an exact version in package.json (no range)', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('is the version that is installed', () => {
    expect(installed).toBe(pinned);
  });

  it('is the one the lock file records for the project', () => {
    const lock = JSON.parse(readFileSync(new URL('../../../package-lock.json', import.meta.url), 'utf8')) as {
      packages?: Record<string, PackageJson>;
    };
    expect(lock.packages?.['']?.dependencies?.['@mlc-ai/web-llm']).toBe(pinned);
    expect(lock.packages?.['node_modules/@mlc-ai/web-llm']?.version).toBe(pinned);
  });

  it('built the generated catalog: CATALOG_MODEL_VERSION is its modelVersion', () => {
    expect(CATALOG_MODEL_VERSION).toBe(modelVersion);
  });
});
