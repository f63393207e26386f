#!/usr/bin/env node
import { Command } from 'commander';
import { HetschedError } from '../common/index.js';
import { explainCommand } from './explain.js';
import { inferCommand } from './infer.js';
import { modelsCommand } from './models.js';
import { respawnWithNodeFlags, SERVE_NODE_FLAGS } from './node-flags.js';
import { planCommand } from './plan.js';
import { profileCommand } from './profile.js';
import { serveCommand } from './serve.js';

const program = new Command('hetsched')
  .description('multi-tenant ONNX inference server that schedules operators across CPU and GPU')
  .showHelpAfterError();
serveCommand(program);
inferCommand(program);
modelsCommand(program);
profileCommand(program);
explainCommand(program);
planCommand(program);

// The server runs under node flags of its own (see SERVE_NODE_FLAGS), and so do the commands that
// measure the machine it serves on (profile; plan, which may measure what is missing): in a child
// node where this one was started without them.
const SERVING = new Set(['serve', 'profile', 'plan']);
const respawned = SERVING.has(process.argv[2] ?? '') ? respawnWithNodeFlags(SERVE_NODE_FLAGS) : undefined;
if (respawned) void respawned.then((code) => process.exit(code));
else
  program.parseAsync(process.argv).catch((error: unknown) => {
    const message =
      error instanceof HetschedError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`hetsched: ${message}\n`);
    if (!(error instanceof HetschedError)) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    process.exit(1);
  });
