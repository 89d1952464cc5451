/** A QR code of `text`, drawn on a canvas by the `qrcode` package; `tooLong` is said instead when `text` does not fit one. */

import QRCode from 'qrcode'
import { useEffect, useRef, useState } from 'preact/hooks'
import s from './QrCode.module.css'
import type { JSX } from 'preact'

export function QrCode ({ text, label, tooLong = 'This invite is too long for a QR code; share the text instead.' }: { text: string, label: string, tooLong?: string }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    if (canvas.current == null || text === '') {
      return
    }
    QRCode.toCanvas(canvas.current, text, { errorCorrectionLevel: 'L', margin: 2, width: 320 })
      .then(() => { setFailed(false) }, () => { setFailed(true) })
  }, [text])
  if (failed) {
    return <p class={s.failed}>{tooLong}</p>
  }
  return <canvas ref={canvas} class={s.qr} role="img" aria-label={label} />
}
