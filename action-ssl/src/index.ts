// The bundle's entry: only runs the action (src/main.ts holds the logic, so tests can import it).
import { run } from './main.js';

await run();
