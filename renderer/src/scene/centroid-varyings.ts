/**
 * Centroid interpolation for a built-in three.js material's varyings. With
 * multisampling, a pixel that a triangle covers only in part is shaded at
 * the pixel's centre, which may lie outside the triangle: its colour and
 * normal are then extrapolated. The terrain's skirts, seen edge-on along
 * every tile seam, are such slivers, and their extrapolated colours showed
 * as dark dots along the seams. Centroid sampling shades inside the covered
 * part instead (GLSL ES 3.00).
 */
import { ShaderChunk, type Material } from 'three';

const centroid = (chunk: string) => chunk.replace(/^(\s*)varying /gm, '$1centroid varying ');

export function useCentroidVaryings(material: Material): void {
  material.onBeforeCompile = (shader) => {
    for (const stage of ['vertexShader', 'fragmentShader'] as const) {
      shader[stage] = shader[stage]
        .replace('#include <color_pars_vertex>', centroid(ShaderChunk.color_pars_vertex))
        .replace('#include <color_pars_fragment>', centroid(ShaderChunk.color_pars_fragment))
        .replace('#include <normal_pars_vertex>', centroid(ShaderChunk.normal_pars_vertex))
        .replace('#include <normal_pars_fragment>', centroid(ShaderChunk.normal_pars_fragment))
        .replace(/^varying vec3 vViewPosition;/m, 'centroid varying vec3 vViewPosition;');
    }
  };
  material.customProgramCacheKey = () => 'centroid-varyings';
}
