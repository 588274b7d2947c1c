/**
 * Whether this Linux is the Windows Subsystem for Linux, where the person's browser is
 * Windows' and the Linux side usually has none (or WSLg's DISPLAY with no browser behind
 * it). WSL sets WSL_DISTRO_NAME and WSL_INTEROP in every shell it starts, but `sudo`,
 * `env -i` and services drop them, so the kernel's release string, which WSL's kernels
 * carry as "...-microsoft-standard-WSL2" (WSL 1: "...-Microsoft"), decides then.
 */
export function isWsl(env: Readonly<Record<string, string | undefined>>, kernelRelease: string | undefined): boolean {
  if (env.WSL_DISTRO_NAME || env.WSL_INTEROP) return true;
  return kernelRelease !== undefined && /microsoft/i.test(kernelRelease);
}
