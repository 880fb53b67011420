/**
 * Field time series as a Zarr v3 group (via zarrita), readable by xarray:
 * one [time, y, x] float32 array per variable, chunked one frame per chunk,
 * plus 1D coordinate arrays time, y, x with dimension names. The arrays are
 * created for the expected number of frames (NaN fill), so a run killed
 * mid-way still leaves a valid store; finish() trims to the frames written.
 */
import { mkdir, rm } from 'node:fs/promises';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import type { Georeference } from '../api/types';

export interface FieldVariable {
  name: string;
  units: string;
  longName: string;
}

export interface FieldGrid {
  nx: number;
  ny: number;
  /** Cell-centre coordinates: x west to east, y north to south (row order). */
  x: Float64Array;
  y: Float64Array;
  crs: string;
}

/** The cell-centre coordinates of a georeferenced grid, as the writer stores them. */
export function fieldGridOf(georef: Georeference): FieldGrid {
  const { nx, ny } = georef;
  return {
    nx,
    ny,
    x: Float64Array.from({ length: nx }, (_, c) => georef.x0 + (c + 0.5) * georef.dx),
    y: Float64Array.from({ length: ny }, (_, r) => georef.y0 - (r + 0.5) * georef.dy),
    crs: georef.crs,
  };
}

const BYTES = [{ name: 'bytes', configuration: { endian: 'little' } }];

export class ZarrFieldWriter {
  private frames = 0;
  private readonly times: number[] = [];

  private constructor(
    private readonly root: zarr.Location<FileSystemStore>,
    private readonly grid: FieldGrid,
    private readonly variables: FieldVariable[],
    private readonly expected: number,
    private arrays: Map<string, zarr.Array<'float32', FileSystemStore>>,
  ) {}

  static async create(dir: string, grid: FieldGrid, variables: FieldVariable[], expectedFrames: number, attributes: Record<string, unknown> = {}) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const root = zarr.root(new FileSystemStore(dir));
    await zarr.create(root, { attributes: { ...attributes, crs: grid.crs, Conventions: 'CF-1.8' } });
    await writeCoordinate(root, 'x', grid.x, { units: 'm', long_name: 'x of cell centre', axis: 'X' });
    await writeCoordinate(root, 'y', grid.y, { units: 'm', long_name: 'y of cell centre', axis: 'Y' });
    const writer = new ZarrFieldWriter(root, grid, variables, expectedFrames, new Map());
    writer.arrays = await writer.createArrays(Math.max(1, expectedFrames));
    return writer;
  }

  get framesWritten(): number {
    return this.frames;
  }

  async append(time: number, fields: Record<string, Float32Array>): Promise<void> {
    if (this.frames >= this.expected) throw new RangeError(`more frames than the ${this.expected} expected`);
    const { nx, ny } = this.grid;
    for (const v of this.variables) {
      const data = fields[v.name];
      if (!data || data.length !== nx * ny) throw new RangeError(`field ${v.name} missing or of the wrong size`);
      await zarr.set(this.arrays.get(v.name)!, [this.frames, null, null], { data, shape: [ny, nx], stride: [nx, 1] });
    }
    this.times.push(time);
    this.frames++;
  }

  /** Trims the arrays to the frames written and writes the time coordinate (CF units, e.g. "seconds since 2018-09-13T19:00:00Z"). */
  async finish(timeUnits = 'seconds since start of simulation'): Promise<void> {
    await this.createArrays(Math.max(1, this.frames));
    await writeCoordinate(this.root, 'time', Float64Array.from(this.times), {
      units: timeUnits,
      long_name: 'time',
      axis: 'T',
    });
  }

  private async createArrays(frames: number) {
    const { nx, ny } = this.grid;
    const arrays = new Map<string, zarr.Array<'float32', FileSystemStore>>();
    for (const v of this.variables) {
      arrays.set(
        v.name,
        await zarr.create(this.root.resolve(v.name), {
          shape: [frames, ny, nx],
          chunkShape: [1, ny, nx],
          dtype: 'float32',
          fillValue: NaN,
          codecs: BYTES,
          dimensionNames: ['time', 'y', 'x'],
          attributes: { units: v.units, long_name: v.longName },
        }),
      );
    }
    return arrays;
  }
}

async function writeCoordinate(root: zarr.Location<FileSystemStore>, name: string, values: Float64Array, attributes: Record<string, unknown>) {
  const arr = await zarr.create(root.resolve(name), {
    shape: [values.length],
    chunkShape: [Math.max(1, values.length)],
    dtype: 'float64',
    codecs: BYTES,
    dimensionNames: [name],
    attributes,
  });
  if (values.length) await zarr.set(arr, null, { data: values, shape: [values.length], stride: [1] });
}
