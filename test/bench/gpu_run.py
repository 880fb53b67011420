#!/usr/bin/env python3
"""Runs the GPU benchmark page (built by `npx tsx test/bench/gpu.ts` into
out/gpu-bench/) in a Chromium with its GPU switched on, and prints its figures.
Python 3's standard library only: GPU machines often have Python and no Node.

    python3 test/bench/gpu_run.py --chromium /usr/bin/chromium [--page out/gpu-bench] [--json result.json]
    python3 test/bench/gpu_run.py --chromium /usr/bin/chromium --quick   # smoke run on SwiftShader

Chromium is tried with ANGLE on Vulkan first, then on the system's EGL; a run
that lands on a software renderer (SwiftShader) is refused by the page, since
its figures would be the CPU's. On Linux without a display the Vulkan driver
must be findable (VK_ICD_FILENAMES / VK_DRIVER_FILES pointing at the vendor's
ICD JSON, e.g. NVIDIA's nvidia_icd.json).
"""
import argparse
import http.server
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading

COMMON = [
    '--headless=new', '--no-sandbox', '--disable-gpu-sandbox', '--disable-background-networking',
    '--disable-dev-shm-usage', '--window-size=1920,1080', '--ignore-gpu-blocklist', '--enable-gpu',
    '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-timer-throttling',
    '--disable-renderer-backgrounding',
]
ATTEMPTS = [
    ['--use-angle=vulkan', '--enable-features=Vulkan,DefaultANGLEVulkan,VulkanFromANGLE', '--disable-vulkan-surface'],
    ['--use-gl=angle', '--use-angle=gl-egl', '--enable-features=Vulkan'],
]


def serve(folder, result):
    """A static server for the page that keeps the first POSTed body in result['body']."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, *args):
            pass

        def do_POST(self):
            result['body'] = self.rfile.read(int(self.headers['Content-Length']))
            self.send_response(200)
            self.end_headers()
            result['done'].set()

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(chromium, page, flags, timeout, log, query):
    result = {'done': threading.Event()}
    server = serve(page, result)
    url = f'http://127.0.0.1:{server.server_address[1]}/test/bench/gpu.html' + query
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        proc = subprocess.Popen([chromium, *COMMON, *flags, f'--user-data-dir={profile}', url],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        finished = result['done'].wait(timeout)
        os.killpg(proc.pid, signal.SIGKILL)  # Chromium's GPU and renderer processes too
        proc.wait()
    server.shutdown()
    return json.loads(result['body']) if finished else None


def median(values):
    return statistics.median(values) if values else float('nan')


def orbit_timing(o):
    gpu = 'GPU n/a' if o.get('gpuMs') is None else f"GPU {o['gpuMs']:.2f} ms (p95 {o['gpuP95Ms']:.2f})"
    return (f"{gpu}, render call {o['renderCallMs']:.2f} ms (p95 {o['renderCallP95Ms']:.2f}), "
            f"frame interval {o['intervalMs']:.1f} ms (p95 {o['intervalP95Ms']:.1f}), {o['missed']} missed"
            + (f" ({o['missedAfterField']} after field work of {o['fieldMs']:.2f} ms, most {o['fieldMaxMs']:.1f})" if o.get('fieldMaxMs') else ''))


def report(r):
    print(f"WebGL: {r['webgl']}")
    if 'refused' in r:
        print(f"refused: {r['refused']}")
        return
    for key in ('renderError', 'floodError', 'realError'):
        if key in r:
            print(f'{key}: {r[key]}')
    if 'render' in r:
        print(f"display rate (requestAnimationFrame, nothing drawn): {r['displayHz']:.1f} Hz")
        if r['render']:
            print(f"{'grid':<14}{'update ms':>11}{'upload ms':>11}{'frames':>8}{'most/frame ms':>15}{'frame ms':>10}{'no-update ms':>14}"
                  f"{'orbit fps':>11}{'triangles':>12}{'LOD ms/frame':>14}{'LOD max ms':>12}")
        for b, o in zip(r['render'], r['orbit']):
            update = median([s + u for s, u in zip(b['setWater'], b['upload'])])
            most = median([s + u for s, u in zip(b['setWater'], b['uploadFrameMax'])])
            print(f"{b['nx']} x {b['ny']:<7}{update:>11.2f}{median(b['upload']):>11.2f}{median(b['framesToShow']):>8.0f}{most:>15.2f}"
                  f"{median(b['frame']):>10.1f}{median(b['frameNoUpdate']):>14.1f}{o['fps']:>11.1f}{o['triangles']:>12,}"
                  f"{o['detailMs']:>14.2f}{o['detailMaxMs']:>12.1f}")
        for o in r['orbit']:
            print(f"orbit {o['site']}, {o['variant']}: {o['fps']:.1f} fps, {o['triangles']:,} triangles; {orbit_timing(o)}")
            if o.get('adopted'):
                print(f"  {o['adopted']} terrain levels built by the worker, taken in on the main thread in "
                      f"{o['adoptMs']:.2f} ms each (most {o['adoptMaxMs']:.1f} ms)")
        for o in r.get('orbitVariants', []):
            print(f"orbit {o['site']}, {o['variant']}: {o['fps']:.1f} fps, {o['triangles']:,} triangles, "
                  f"LOD {o['detailMs']:.2f} ms a frame (most {o['detailMaxMs']:.1f}), {o['adopted']} levels taken in "
                  f"({o['adoptMs']:.2f} ms each); {orbit_timing(o)}")
        for b in r['render']:
            for c in b.get('coverage', []):
                print(f"home view {b['nx']} x {b['ny']}, water: {c['water']}: drawn on {c['wetTiles']} of {c['tiles']} tiles, "
                      f"frame {median(c['frame']):.1f} ms")
        if r['render']:
            w, h = r['render'][0]['canvas']
            print(f'canvas {w} x {h}; update: setWater + the scene\'s field work (uploads, wet-tile scan) until the field is on show (main thread), over "frames" drawn '
                  'frames (a field over 4 MB goes up a band per frame), the most in one frame beside it; frame: the slowest of them, '
                  'render until rasterised (one-pixel readPixels); orbit: frames drawn per second while the camera turns and every 4th '
                  'frame brings a new depth field; LOD: main-thread time per orbit frame choosing and building terrain levels; '
                  'GPU: timer-query time of one frame\'s draw; render call: main-thread time issuing it')
        p = r['particles']
        if p:
            print(f"wind particles: {p['particles']:,} over {p['nx']} x {p['ny']}: update {median(p['update']):.2f} ms, "
                  f"frame {median(p['frame']):.1f} ms (without particles {median(p['frameNoParticles']):.1f} ms)")
    flood = r.get('flood')
    if isinstance(flood, dict):
        print(f"WGSL flood solver on {flood['adapter']} (fast path, walled all-wet basin):")
        print(f"{'scheme':<10}{'grid':>12}{'G cell-updates/s':>18}{'steps':>8}{'volume change':>15}")
        for f in flood['runs']:
            if 'error' in f:
                print(f"{f['scheme']:<10}{f['n']:>12}  error: {f['error']}")
            else:
                print(f"{f['scheme']:<10}{str(f['n']) + '^2':>12}{f['cellUpdatesPerSecond'] / 1e9:>18.2f}{f['steps']:>8}{f['volumeChange']:>15.1e}")
    elif flood:
        print(f'WGSL flood solver: {flood}')


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--chromium', required=True)
    parser.add_argument('--page', default=os.path.join(here, '..', '..', 'out', 'gpu-bench'))
    parser.add_argument('--timeout', type=float, default=300, help='seconds an attempt may take')
    parser.add_argument('--json', help='also write the raw result here')
    parser.add_argument('--log', default=os.devnull, help="Chromium's output goes here")
    parser.add_argument('--quick', action='store_true', help='a smoke run of the page on SwiftShader (CPU figures)')
    parser.add_argument('--orbits', action='store_true', help='the orbits alone (a quicker run for frame rates)')
    args = parser.parse_args()
    query = '?' + '&'.join(name for name, on in (('quick', args.quick), ('orbits', args.orbits)) if on)
    with open(args.log, 'w') as log:
        for flags in [['--use-angle=swiftshader']] if args.quick else ATTEMPTS:
            print(f"Chromium {' '.join(flags)}", flush=True)
            r = run(args.chromium, args.page, flags + ['--enable-logging=stderr'], args.timeout, log, query.rstrip('?'))
            if r is None:
                print('  no result within the timeout')
                continue
            if args.json:
                with open(args.json, 'w') as f:
                    json.dump(r, f)
            report(r)
            if 'refused' not in r:
                return 0
    return 1


if __name__ == '__main__':
    sys.exit(main())
