// Runs one ingest in its own process so its peak memory can be read alone.
import { ingestService } from '../functions/wiring/ingest.ts';

async function main(): Promise<void> {
  const [datasetId, version] = process.argv.slice(2);
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const started = process.hrtime.bigint();
  const outcome = await ingestService.ingest(datasetId!, Number(version));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  console.log(JSON.stringify({ outcome, seconds, peakRssBytes: peak }));
}

void main();
