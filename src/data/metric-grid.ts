/**
 * Planning the move of a grid onto a metric project grid: geographic, Web
 * Mercator and curvilinear grids are reprojected (UTM zone of the centre
 * unless a CRS is given); projected grids are resampled when a cell size is
 * asked for; grids without a CRS stay as local metric grids, with a warning,
 * unless their coordinates look like degrees.
 */
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { resolveCrs } from '../core/crs';
import { curvilinearMapping, curvilinearTargetGrid } from '../core/curvilinear';
import { resample, resampledGrid } from '../core/resample';
import { reprojectedGrid, warp } from '../core/reproject';
import type { ResampleMethod } from '../core/sample';
import type { NetcdfGridGeometry } from '../io/netcdf';

export interface MetricGridOptions {
  /** Target CRS ("EPSG:32613"); default: the UTM zone of the grid's centre. */
  crs?: string;
  /** Target cell size in metres; default: about the source's. */
  cellSize?: number;
  method?: ResampleMethod;
}

export interface MetricGridPlan {
  target: Georeference;
  /** Moves one frame (same layout as the source) onto the target grid. */
  apply(frame: Float32Array): Float32Array;
  /** Provenance step, or null when the grid is kept as it is. */
  step: { op: string; [key: string]: unknown } | null;
  warnings: string[];
}

export function planMetricGrid(geometry: NetcdfGridGeometry, file: string, options: MetricGridOptions = {}): MetricGridPlan {
  const method = options.method ?? 'bilinear';
  if (geometry.kind === 'curvilinear') {
    const target = curvilinearTargetGrid(geometry.coords, options.crs ?? 'utm', options.cellSize);
    const mapping = curvilinearMapping(geometry.coords, target);
    return {
      target,
      apply: (f) => mapping.apply(f),
      step: { op: 'regrid-curvilinear', crs: target.crs, cellSize: target.dx, interpolation: 'linear on triangles' },
      warnings: [],
    };
  }
  const source = geometry.georef;
  const wrap = (data: Float32Array) => ({ data, units: '', georef: source });
  if (source.crs === 'unknown') {
    const looksGeographic = Math.abs(source.x0) <= 360 && Math.abs(source.y0) <= 90 && source.dx < 0.1 && source.dy < 0.1 && geometry.spacing !== 'index';
    if (looksGeographic || options.crs) {
      throw new TerraError(
        'INVALID_DATA',
        `${file}: the grid has no CRS${looksGeographic ? ' and its coordinates look like degrees' : ''}; it cannot be placed on a metric grid (add a .prj or a CRS to the file)`,
        { file, field: 'crs', problem: 'crs' },
      );
    }
    const warnings = [`${file}: no CRS; kept as a local metric grid (x, y in metres)`];
    if (options.cellSize && options.cellSize !== source.dx) {
      const target = resampledGrid(source, options.cellSize);
      return { target, apply: (f) => resample(wrap(f), options.cellSize!, options.cellSize!, method).data, step: { op: 'resample', cellSize: options.cellSize, method }, warnings };
    }
    return { target: source, apply: (f) => f, step: null, warnings };
  }
  const src = resolveCrs(source.crs, { file, field: 'crs' });
  const wanted = options.crs ? resolveCrs(options.crs, { file, field: 'crs' }) : undefined;
  if (src.geographic || src.webMercator || (wanted && wanted.proj4 !== src.proj4)) {
    if (wanted?.geographic) throw new TerraError('INVALID_PARAMS', `${wanted.id} is geographic; a project grid needs a metric CRS`, { field: 'crs' });
    const target = reprojectedGrid(source, wanted?.id ?? 'utm', options.cellSize);
    return {
      target,
      apply: (f) => warp(wrap(f), target, method).data,
      step: { op: 'reproject', from: source.crs, to: target.crs, cellSize: target.dx, method },
      warnings: [],
    };
  }
  // Already metric. UTM zone names (GeoTIFFs with a user-defined CRS) get their WGS 84 EPSG code,
  // so the written GeoTIFF says what it is.
  const utmName = /^UTM zone (\d+)([NS])$/.exec(source.crs);
  const crs = utmName ? `EPSG:${utmName[2] === 'N' ? 32600 + Number(utmName[1]) : 32700 + Number(utmName[1])}` : source.crs;
  const warnings = utmName ? [`${file}: ${source.crs} written as ${crs} (datum taken as WGS 84)`] : [];
  const named = utmName ? { op: 'assign-crs', from: source.crs, to: crs, note: 'datum taken as WGS 84' } : null;
  if (options.cellSize && (Math.abs(options.cellSize - source.dx) > 1e-9 * source.dx || Math.abs(options.cellSize - source.dy) > 1e-9 * source.dy)) {
    const target = { ...resampledGrid(source, options.cellSize), crs };
    const apply = (f: Float32Array) => resample(wrap(f), options.cellSize!, options.cellSize!, method).data;
    return { target, apply, step: { op: 'resample', cellSize: options.cellSize, method, ...(named ? { crs } : {}) }, warnings };
  }
  if (named) return { target: { ...source, crs }, apply: (f) => f, step: named, warnings };
  return { target: source, apply: (f) => f, step: null, warnings: [] };
}
