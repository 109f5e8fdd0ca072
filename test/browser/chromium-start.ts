/**
 * How the page tests start chromium, in one place: test/browser/support.ts's shared browser and
 * bench/web-hostile.ts (which times pages in the browser the tests drive, not one with heavier defaults).
 */
import fs from "node:fs";

/**
 * Debian's chromium binary itself, not /usr/bin/chromium: that is a shell script which runs a dozen small programs
 * at each start and adds /etc/chromium.d's flags (`--enable-gpu-rasterization`, `--load-extension=`). The script is
 * the fallback where the binary is elsewhere; SHELFWISE_CHROMIUM names another browser. docs/performance-log.md,
 * atests41.
 */
const DEBIAN_BINARY = "/usr/lib/chromium/chromium";
export const CHROMIUM = process.env.SHELFWISE_CHROMIUM ?? (fs.existsSync(DEBIAN_BINARY) ? DEBIAN_BINARY : "/usr/bin/chromium");
export const CHROMIUM_MISSING = fs.existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium); browser tests skipped`;

/**
 * Chromium reads only the last `--disable-features`, and this one comes after playwright's own: so it repeats
 * playwright-core's list (chromiumSwitches.ts, 1.65) and adds the background services no page test uses.
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
];
const DISABLED_FEATURES = [
  ...PLAYWRIGHT_DISABLED_FEATURES,
  "IsolateOrigins",
  "site-per-process",
  "SpareRendererForSitePerProcess",
  "OnDeviceModelService",
  "OptimizationGuideModelDownloading",
  "OptimizationHintsFetching",
  "Translate",
  "BackForwardCache",
  "DialMediaRouteProvider",
  "GlobalMediaControls",
  "AutofillServerCommunication",
  "CertificateTransparencyComponentUpdater",
  "InterestFeedContentSuggestions",
  "PrivacySandboxSettings4",
  // Chromium 156 draws its omnibox's popup as a WebUI page, preloaded in a renderer of its own for each window:
  // every context's first page cost two renderers, one of them for an address bar no test sees
  // (`chrome://omnibox-popup.top-chrome/` in Target.getTargets). docs/performance-log.md, atests43.
  "WebUIOmniboxPopup",
  "WebUIOmniboxAimPopup",
  "WebUIOmniboxFullPopup",
];

export const CHROMIUM_ARGS: string[] = [
  ...["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // Compositing in the browser process: no GPU process (one per browser, software compositing anyway).
  "--in-process-gpu",
  // The pages are all on one origin: no renderer split per site, no spare renderer kept warm.
  "--disable-site-isolation-trials",
  // A context's second page (the two-tab cases) shares its first page's renderer instead of starting one.
  "--renderer-process-limit=1",
  `--disable-features=${DISABLED_FEATURES.join(",")}`,
];
