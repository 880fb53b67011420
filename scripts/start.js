// `npm start`: build, then open the desktop app on the default sample site.
// Where Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD, CI,
// a headless server) it says so and starts serve mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);

const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

function electronBinary() {
  try {
    const path = require('electron'); // the binary's path; throws when the download was skipped
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
const electron = electronBinary();

const child = electron
  ? spawn(electron, ['.', ...process.argv.slice(2)], { stdio: 'inherit' })
  : (console.warn(
      '\nElectron is not installed here (its binary download was skipped), so Terra Twin starts in serve mode.\n' +
        'Open the URL below in a browser on this machine. To get the desktop app: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run "npm install" again.\n',
    ),
    spawn(process.execPath, ['bin/terra.js', 'serve', ...process.argv.slice(2)], { stdio: 'inherit' }));
child.on('exit', (code) => process.exit(code ?? 0));
