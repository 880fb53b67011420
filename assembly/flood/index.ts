/** The flood solver's WebAssembly kernels (built by scripts/build-wasm.js). */
export { setCbrtTables } from './cbrt';
export { xInteriorFaces, yInteriorFaces, limiterRow, updateRow } from './inertial';
export { fvReconstructLine, fvFluxLine, fvUpdateRow, fvXPass, fvYPass } from './fv';
