#!/usr/bin/env node
// The `terra` command: runs the TypeScript engine sources through tsx, so the
// CLI needs no build step and always matches the checked-out engine.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
