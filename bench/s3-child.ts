// The S3 emulator in its own process, so the bench's baseline and ingest both pay its cost outside the measured process.
import { startS3Emulator } from '../infra/local/s3-emulator.ts';

const running = await startS3Emulator({ directory: process.argv[2]! });
console.log(JSON.stringify({ endpoint: running.endpoint }));
process.on('SIGTERM', () => void running.stop().then(() => process.exit(0)));
