/**
 * Regridding of forcing fields (rain, weather) onto a site's grid: a source
 * grid, regular in any CRS or curvilinear (2D longitude/latitude), is mapped
 * once and then applied to every frame. The source must cover every target
 * cell; a cell outside it is an error, never an extrapolated value.
 */
import { TerraError } from '../api/errors';
import type { Georeference } from '../api/types';
import { curvilinearMapping, type CurvilinearGrid } from './curvilinear';
import { extentOf } from './georef';
import { warp } from './reproject';

/** How a source grid lies on the Earth (the geometry readers return). */
export type SourceGeometry =
  | { kind: 'regular'; georef: Georeference; spacing: 'regular' | 'mercator' | 'index' }
  | { kind: 'curvilinear'; coords: CurvilinearGrid };

/** Moves one source frame (source layout) onto the target grid. */
export type FrameMapping = (frame: Float32Array) => Float32Array;

/**
 * Bilinear (regular) or linear-on-triangles (curvilinear) mapping onto
 * `target`, checked to cover it. `file` names the source and `what` the
 * target ("the DEM") in errors, which are INVALID_DATA with field "coverage"
 * or "coordinates".
 */
export function coveringMapping(geometry: SourceGeometry, target: Georeference, file: string, what = 'the target grid'): FrameMapping {
  let map: FrameMapping;
  if (geometry.kind === 'curvilinear') {
    const m = curvilinearMapping(geometry.coords, target);
    map = (f) => m.apply(f);
  } else {
    const g = geometry.georef;
    if (geometry.spacing === 'index') {
      throw new TerraError('INVALID_DATA', `${file}: the grid has no coordinates, so it cannot be placed over ${what}`, { file, field: 'coordinates' });
    }
    map = (f) => warp({ georef: g, data: f, units: '' }, target).data;
  }
  const cells = geometry.kind === 'curvilinear' ? geometry.coords.nx * geometry.coords.ny : geometry.georef.nx * geometry.georef.ny;
  const probe = map(new Float32Array(cells).fill(1));
  let outside = 0;
  let first = -1;
  for (let k = 0; k < probe.length; k++) {
    if (!(probe[k]! === probe[k]!)) {
      outside++;
      if (first < 0) first = k;
    }
  }
  if (outside > 0) {
    const e = extentOf(target);
    throw new TerraError(
      'INVALID_DATA',
      `${file} does not cover ${what}: ${outside} of ${probe.length} cells lie outside it (first at row ${Math.floor(first / target.nx)}, column ${first % target.nx}; ` +
        `${what.replace(/^the /, '')} x ${e.xmin.toFixed(4)}..${e.xmax.toFixed(4)}, y ${e.ymin.toFixed(4)}..${e.ymax.toFixed(4)} in ${target.crs})`,
      { file, field: 'coverage' },
    );
  }
  return map;
}
