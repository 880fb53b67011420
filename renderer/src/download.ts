/** Saves a file the way a browser does (a download; the desktop app asks where). */
export function download(name: string, content: Blob | string): void {
  const url = typeof content === 'string' ? content : URL.createObjectURL(content);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The click starts the download synchronously; the blob URL can go after it.
  if (typeof content !== 'string') setTimeout(() => URL.revokeObjectURL(url), 0);
}
