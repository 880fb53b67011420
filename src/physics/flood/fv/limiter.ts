/** Slope limiter of the MUSCL reconstruction: minmod (the most dissipative TVD limiter, robust at fronts). */
export function minmod(a: number, b: number): number {
  if (a > 0) return b > 0 ? (a < b ? a : b) : 0;
  if (a < 0) return b < 0 ? (a > b ? a : b) : 0;
  return 0;
}
