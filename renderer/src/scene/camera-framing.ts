/**
 * Places a perspective camera so a box fills a given share of the view from a
 * given direction: the distance is found by bisection on the projected
 * corners, and the aim is nudged so the projection is centred.
 */
import { Box3, PerspectiveCamera, Vector3 } from 'three';

export interface CameraPose {
  position: Vector3;
  target: Vector3;
}

const corner = new Vector3();
const right = new Vector3();
const up = new Vector3();

/** Named views of the whole terrain: from each side, 42 degrees above the horizon, and from straight above. */
export const CAMERA_PRESETS = {
  south: { label: 'From the south', azimuth: 0, polar: (48 * Math.PI) / 180 },
  west: { label: 'From the west', azimuth: -Math.PI / 2, polar: (48 * Math.PI) / 180 },
  north: { label: 'From the north', azimuth: Math.PI, polar: (48 * Math.PI) / 180 },
  east: { label: 'From the east', azimuth: Math.PI / 2, polar: (48 * Math.PI) / 180 },
  // Not exactly 0: the orbit controls need a direction to call "up" on screen (north, here).
  top: { label: 'From above (map)', azimuth: 0, polar: 1e-3 },
} as const;

export type CameraPreset = keyof typeof CAMERA_PRESETS;

/** Direction from target to camera for an azimuth (radians, 0 = from the south, +x = from the east) and a polar angle from straight up. */
export function viewDirection(azimuth: number, polar: number): Vector3 {
  return new Vector3(Math.sin(polar) * Math.sin(azimuth), Math.cos(polar), Math.sin(polar) * Math.cos(azimuth));
}

/**
 * @param fill share of the half-width / half-height the box may use (0..1)
 * The camera's aspect and fov must already be set; it is left at the pose.
 */
export function frameBox(camera: PerspectiveCamera, box: Box3, direction: Vector3, fill = 0.9): CameraPose {
  const target = box.getCenter(new Vector3());
  const radius = box.getSize(new Vector3()).length() / 2 || 1;
  let distance = radius * 2;
  for (let pass = 0; pass < 3; pass++) {
    let lo = radius * 0.05;
    let hi = radius * 40;
    for (let i = 0; i < 40; i++) {
      const mid = (lo + hi) / 2;
      if (extent(camera, box, target, direction, mid).fits(fill)) hi = mid;
      else lo = mid;
    }
    distance = hi;
    if (pass === 2) break;
    // Shift the aim so the projected box sits in the middle of the view.
    const e = extent(camera, box, target, direction, distance);
    const halfH = distance * Math.tan((camera.fov * Math.PI) / 360);
    const halfW = halfH * camera.aspect;
    right.setFromMatrixColumn(camera.matrixWorld, 0);
    up.setFromMatrixColumn(camera.matrixWorld, 1);
    target.addScaledVector(right, e.cx * halfW).addScaledVector(up, e.cy * halfH);
  }
  const position = target.clone().addScaledVector(direction, distance);
  place(camera, position, target);
  return { position, target };
}

function place(camera: PerspectiveCamera, position: Vector3, target: Vector3): void {
  camera.position.copy(position);
  camera.lookAt(target);
  camera.updateMatrixWorld(true);
}

function extent(camera: PerspectiveCamera, box: Box3, target: Vector3, direction: Vector3, distance: number) {
  place(camera, target.clone().addScaledVector(direction, distance), target);
  camera.updateProjectionMatrix();
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let behind = false;
  for (let i = 0; i < 8; i++) {
    corner.set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z);
    corner.applyMatrix4(camera.matrixWorldInverse);
    if (corner.z > -camera.near) behind = true;
    corner.applyMatrix4(camera.projectionMatrix);
    minX = Math.min(minX, corner.x);
    maxX = Math.max(maxX, corner.x);
    minY = Math.min(minY, corner.y);
    maxY = Math.max(maxY, corner.y);
  }
  return {
    cx: (minX + maxX) / 2,
    cy: (minY + maxY) / 2,
    fits: (fill: number) => !behind && maxX - minX <= 2 * fill && maxY - minY <= 2 * fill,
  };
}
