// Entry point of the bundle: runs the action. Everything else lives in main.ts and what it imports.
import { run } from './main.js';

await run();
