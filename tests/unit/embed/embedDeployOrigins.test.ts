import { describe, expect, it } from 'vitest';
import { parseEmbedConfig } from '../../../src/embed/embedConfig.ts';

const known = { formats: ['hermes'], functions: [] };

describe('the deploy-time embed origins bound the URL allowedOrigins', () => {
  it('keeps the origins the deployment allows and reports the others', () => {
    const config = parseEmbedConfig('allowedOrigins=https://shop.example,https://other.example,http://localhost:5000', {
      ...known,
      deployOrigins: ['https://shop.example', 'http://localhost:*'],
    });
    expect(config.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:5000']);
    expect(config.problems).toEqual([
      '"https://other.example" is not among the sites this deployment lets embed the widget, and was not allowed.',
    ]);
  });

  it('without a deploy-time list, the URL decides', () => {
    const config = parseEmbedConfig('allowedOrigins=https://other.example', { ...known, deployOrigins: [] });
    expect(config.allowedOrigins).toEqual(['https://other.example']);
  });
});
