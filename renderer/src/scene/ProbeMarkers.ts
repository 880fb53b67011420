/**
 * Probe pins in the 3D view: a thin stem standing on the probe's cell and a
 * head in the probe's colour, sized to the terrain so they read at the home
 * view. Geometries are shared by all pins; set() replaces the pins.
 */
import { CylinderGeometry, Group, Mesh, MeshBasicMaterial, SphereGeometry } from 'three';
import type { CellFrame } from './terrain-grid';

export interface ProbeMarker {
  col: number;
  row: number;
  /** CSS colour of the probe (as in its chart). */
  color: string;
}

/** Pin height and head radius as shares of the terrain's extent. */
const STEM_HEIGHT = 0.04;
const STEM_RADIUS = 0.0016;
const HEAD_RADIUS = 0.0075;

export class ProbeMarkers {
  readonly group = new Group();
  private readonly stem: CylinderGeometry;
  private readonly head: SphereGeometry;
  private readonly stemMaterial = new MeshBasicMaterial({ color: 0xf2f5f8 });
  private readonly headMaterials: MeshBasicMaterial[] = [];
  private markers: ProbeMarker[] = [];
  private readonly height: number;

  /**
   * @param elevation the DEM (m, row-major, nx columns) the pins stand on
   * @param base elevation at world y = 0
   * @param extent the terrain's larger horizontal size (world units)
   */
  constructor(
    private readonly frame: CellFrame,
    private readonly elevation: Float32Array,
    private readonly nx: number,
    private readonly base: number,
    extent: number,
    private exaggeration: number,
  ) {
    this.height = STEM_HEIGHT * extent;
    this.stem = new CylinderGeometry(STEM_RADIUS * extent, STEM_RADIUS * extent, this.height, 8);
    this.stem.translate(0, this.height / 2, 0);
    this.head = new SphereGeometry(HEAD_RADIUS * extent, 20, 12);
    this.head.translate(0, this.height, 0);
    this.group.name = 'probe-markers';
  }

  set(markers: ProbeMarker[]): void {
    this.clear();
    this.markers = markers;
    for (const m of markers) {
      const material = new MeshBasicMaterial({ color: m.color });
      this.headMaterials.push(material);
      const pin = new Group();
      pin.add(new Mesh(this.stem, this.stemMaterial), new Mesh(this.head, material));
      this.group.add(pin);
    }
    this.place();
  }

  setExaggeration(exaggeration: number): void {
    this.exaggeration = exaggeration;
    this.place();
  }

  dispose(): void {
    this.clear();
    this.stem.dispose();
    this.head.dispose();
    this.stemMaterial.dispose();
    this.group.removeFromParent();
  }

  private place(): void {
    this.markers.forEach((m, i) => {
      const h = this.elevation[m.row * this.nx + m.col]!;
      const y = h === h ? (h - this.base) * this.exaggeration : 0;
      this.group.children[i]!.position.set(this.frame.x0 + m.col * this.frame.cellX, y, this.frame.z0 + m.row * this.frame.cellZ);
    });
  }

  private clear(): void {
    this.group.clear();
    for (const material of this.headMaterials.splice(0)) material.dispose();
  }
}
