/**
 * One material drawn on every tile of the terrain surface: a group of
 * per-tile meshes whose geometry is the tile's current level, swapped by the
 * TerrainSurface when a level changes. The geometry is always the surface's
 * (shared, never copied); the layer holds only its material.
 *
 * The terrain itself draws each tile's whole index (surface, skirts and
 * walls). Layers draped on it draw the surface triangles alone: their mesh
 * takes a one-material array, so three.js draws only the geometry's first
 * group (the surface) and skips the second (skirts and walls), which has no
 * material.
 */
import { Group, Mesh, type BufferGeometry, type Material } from 'three';

export class SurfaceLayer<M extends Material = Material> extends Group {
  readonly material: M;
  private readonly meshes: Mesh[];

  /** Made by TerrainSurface.createLayer; `detach` tells the surface to stop updating it. */
  constructor(
    material: M,
    name: string,
    geometries: readonly BufferGeometry[],
    withSkirts: boolean,
    private readonly detach: (layer: SurfaceLayer) => void,
  ) {
    super();
    this.material = material;
    this.name = name;
    this.meshes = geometries.map((geometry, tile) => {
      const mesh = new Mesh(geometry, withSkirts ? material : [material]);
      mesh.name = `${name}-tile-${tile}`;
      return mesh;
    });
    if (this.meshes.length) this.add(...this.meshes);
  }

  /** Draws a tile with another level's geometry. */
  setGeometry(tile: number, geometry: BufferGeometry): void {
    this.meshes[tile]!.geometry = geometry;
  }

  /** Draws a tile or skips it (a layer with nothing to show there). */
  setTileVisible(tile: number, on: boolean): void {
    this.meshes[tile]!.visible = on;
  }

  /** Leaves the scene and the surface; the geometries stay the surface's, the material the caller's to dispose. */
  override dispose(): void {
    this.detach(this);
    this.removeFromParent();
    super.dispose();
  }
}
