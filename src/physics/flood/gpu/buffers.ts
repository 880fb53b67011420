/**
 * Every GPU buffer a solver creates goes through one GpuBuffers, so dispose()
 * can free them all and a test can prove it (created === destroyed).
 */
export class GpuBuffers {
  private readonly live = new Set<GPUBuffer>();
  private nCreated = 0;
  private nDestroyed = 0;
  private bytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly prefix: string,
  ) {}

  /** A buffer of at least `size` bytes (rounded up to 16), optionally filled with `data`. */
  create(name: string, size: number, usage: GPUBufferUsageFlags, data?: ArrayBufferView | ArrayBuffer): GPUBuffer {
    const bytes = Math.max(16, Math.ceil(size / 16) * 16);
    const buffer = this.device.createBuffer({ label: `${this.prefix}:${name}`, size: bytes, usage, mappedAtCreation: data !== undefined });
    if (data !== undefined) {
      const src = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      new Uint8Array(buffer.getMappedRange()).set(src);
      buffer.unmap();
    }
    this.live.add(buffer);
    this.nCreated++;
    this.bytes += bytes;
    return buffer;
  }

  /** A storage buffer (read and written by kernels, copied to and from). */
  storage(name: string, size: number, data?: ArrayBufferView | ArrayBuffer): GPUBuffer {
    return this.create(name, size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC, data);
  }

  uniform(name: string, data: ArrayBuffer): GPUBuffer {
    return this.create(name, data.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, data);
  }

  /** A buffer the host maps to read results back. */
  readback(name: string, size: number): GPUBuffer {
    return this.create(name, size, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
  }

  destroy(buffer: GPUBuffer): void {
    if (!this.live.delete(buffer)) return;
    buffer.destroy();
    this.nDestroyed++;
  }

  destroyAll(): void {
    for (const b of [...this.live]) this.destroy(b);
  }

  get stats(): { created: number; destroyed: number; live: number; bytes: number } {
    return { created: this.nCreated, destroyed: this.nDestroyed, live: this.live.size, bytes: this.bytes };
  }
}
