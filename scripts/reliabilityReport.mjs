// Prints the reliability figures recorded by the hardening tests (tests/reliability/record.ts):
// inputs fuzzed per property, faults injected, data lost. `npm test` runs it after the test stages;
// the README's "Reliability figures" section is copied from its output.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../reports/reliability/', import.meta.url));

const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1);

export function reliabilityReport() {
  if (!existsSync(dir)) return 'Reliability: no records (the hardening tests did not run).';
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${dir}${f}`, 'utf8')));
  const fuzz = records.filter((r) => r.kind === 'fuzz').sort((a, b) => a.target.localeCompare(b.target));
  const faults = records
    .filter((r) => r.kind === 'fault')
    .sort((a, b) => a.fault.localeCompare(b.fault, 'en', { sensitivity: 'base' }));
  const lines = ['Reliability figures'];
  const totalInputs = fuzz.reduce((n, r) => n + r.inputs, 0);
  lines.push(`  Inputs fuzzed: ${totalInputs} across ${fuzz.length} properties`);
  for (const r of fuzz) lines.push(`    ${String(r.inputs).padStart(6)}  ${r.target} (seed ${r.seed})`);
  const lost = faults.reduce((n, r) => n + r.dataLost, 0);
  lines.push(`  Faults injected: ${faults.length}`);
  for (const r of faults)
    lines.push(`    ${r.dataLost === 0 ? 'no data lost' : `${r.dataLost} items LOST`}  ${sentence(r.fault)}`);
  lines.push(`  Data lost: ${lost}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(reliabilityReport());
