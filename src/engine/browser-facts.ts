/**
 * Which browser and platform the engine host runs in, from the user agent, for the engine choice's
 * explanation. Pure.
 *
 * Firefox gives extensions WebGPU on Windows from version 141 and on Apple silicon Macs from 145;
 * elsewhere (Linux, Intel Macs, Android) not yet. Firefox's user agent says "Intel Mac OS X" on
 * every Mac, so an Apple silicon Mac cannot be told apart there: the sentence names both.
 */

export interface BrowserFacts {
  name: 'chrome' | 'firefox' | 'other';
  /** Major version; 0 when unknown. */
  version: number;
  os: 'windows' | 'mac' | 'linux' | 'android' | 'chromeos' | 'other';
}

export const FIREFOX_WEBGPU_WINDOWS = 141;
export const FIREFOX_WEBGPU_APPLE_SILICON = 145;

export function browserFacts(userAgent: string): BrowserFacts {
  const ua = userAgent ?? '';
  const firefox = /\bFirefox\/(\d+)/.exec(ua);
  const chrome = /\bChrom(?:e|ium)\/(\d+)/.exec(ua);
  const os: BrowserFacts['os'] = /Android/.test(ua)
    ? 'android'
    : /CrOS/.test(ua)
      ? 'chromeos'
      : /Windows/.test(ua)
        ? 'windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'mac'
          : /Linux|X11/.test(ua)
            ? 'linux'
            : 'other';
  if (firefox) return { name: 'firefox', version: Number(firefox[1]), os };
  if (chrome) return { name: 'chrome', version: Number(chrome[1]), os };
  return { name: 'other', version: 0, os };
}

/**
 * Why Firefox shows no WebGPU to the extension, in a clause; null outside Firefox, or where
 * Firefox should have it (then the reason is elsewhere: a blocked driver, a setting).
 */
export function firefoxWebGpuNote(b: BrowserFacts): string | null {
  if (b.name !== 'firefox') return null;
  if (b.os === 'windows') {
    return b.version > 0 && b.version < FIREFOX_WEBGPU_WINDOWS
      ? `Firefox gives extensions WebGPU on Windows from version ${FIREFOX_WEBGPU_WINDOWS}; this is ${b.version}`
      : null;
  }
  if (b.os === 'mac') {
    return b.version > 0 && b.version < FIREFOX_WEBGPU_APPLE_SILICON
      ? `Firefox gives extensions WebGPU on Apple silicon Macs from version ${FIREFOX_WEBGPU_APPLE_SILICON}; this is ${b.version}`
      : 'Firefox gives extensions WebGPU on Apple silicon Macs only, not on Intel Macs';
  }
  return `Firefox gives extensions WebGPU on Windows (from ${FIREFOX_WEBGPU_WINDOWS}) and Apple silicon Macs (from ${FIREFOX_WEBGPU_APPLE_SILICON}), not on ${OS_NAMES[b.os]} yet`;
}

const OS_NAMES: Record<BrowserFacts['os'], string> = {
  windows: 'Windows',
  mac: 'macOS',
  linux: 'Linux',
  android: 'Android',
  chromeos: 'ChromeOS',
  other: 'this system',
};
