/**
 * Scan a join code's QR code with the tablet's camera. The browser's own BarcodeDetector
 * where there is one (Chrome on Android); elsewhere jsQR (Apache-2.0), loaded on first use,
 * reads the camera's frames. Nothing leaves the device. Typing the code always works too.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../state/i18n";

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

declare global {
  interface Window {
    BarcodeDetector?: new (options: { formats: string[] }) => Detector;
  }
}

/** Frames per second the scanner looks at: enough to feel instant, little battery. */
const SCANS_PER_SECOND = 6;

export function QrScanner(props: { onResult: (text: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const canvas = document.createElement("canvas");
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setProblem(t("sync.scanNoCamera"));
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
      } catch {
        setProblem(t("sync.scanDenied"));
        return;
      }
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const native = window.BarcodeDetector
        ? new window.BarcodeDetector({ formats: ["qr_code"] })
        : null;
      const jsQR = native ? null : (await import("jsqr")).default;
      const look = async () => {
        if (stopped || !video.current) return;
        const element = video.current;
        let found: string | null = null;
        if (element.videoWidth > 0) {
          if (native) {
            const codes = await native.detect(element).catch(() => []);
            found = codes[0]?.rawValue ?? null;
          } else if (jsQR) {
            canvas.width = element.videoWidth;
            canvas.height = element.videoHeight;
            const context = canvas.getContext("2d", { willReadFrequently: true });
            if (context) {
              context.drawImage(element, 0, 0);
              const image = context.getImageData(0, 0, canvas.width, canvas.height);
              found = jsQR(image.data, image.width, image.height)?.data ?? null;
            }
          }
        }
        if (found) props.onResult(found);
        else timer = setTimeout(() => void look(), 1000 / SCANS_PER_SECOND);
      };
      void look();
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <div class="qr-scanner" data-testid="qr-scanner">
      {problem ? (
        <p role="alert">{problem}</p>
      ) : (
        <>
          <p class="hint">{t("sync.scanHint")}</p>
          <video ref={video} class="qr-video" muted playsInline aria-label={t("sync.scanVideo")} />
        </>
      )}
      <button type="button" class="button" onClick={props.onClose}>
        {t("close")}
      </button>
    </div>
  );
}
