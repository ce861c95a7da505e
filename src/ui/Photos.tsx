import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_PHOTOS_PER_OBSERVATION } from "../domain/observation";
import { addPhoto } from "../state/actions";
import { t } from "../state/i18n";
import { db } from "../state/session";

/** An object URL for a stored photo, revoked when no longer shown. */
function usePhotoUrl(id: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let created: string | null = null;
    let cancelled = false;
    void db()
      .getPhotoBlob(id)
      .then((blob) => {
        if (cancelled || !blob) return;
        created = URL.createObjectURL(blob);
        setUrl(created);
      });
    return () => {
      cancelled = true;
      if (created) URL.revokeObjectURL(created);
    };
  }, [id]);
  return url;
}

function Thumbnail(props: { id: string; index: number; onRemove(): void }) {
  const url = usePhotoUrl(props.id);
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <li class="photo-item">
      <button
        type="button"
        class="photo-thumb"
        aria-label={t("photoOpen", { index: props.index })}
        onClick={() => dialog.current?.showModal()}
      >
        {url ? (
          <img src={url} alt={t("photoAlt", { index: props.index })} />
        ) : (
          <span>{t("loading")}</span>
        )}
      </button>
      <button
        type="button"
        class="button button-small button-danger"
        aria-label={t("photoRemove", { index: props.index })}
        onClick={props.onRemove}
      >
        ✕
      </button>
      <dialog ref={dialog} class="photo-dialog" aria-label={t("photoAlt", { index: props.index })}>
        {url && <img src={url} alt={t("photoAlt", { index: props.index })} />}
        <form method="dialog">
          <button type="submit" class="button">
            {t("close")}
          </button>
        </form>
      </dialog>
    </li>
  );
}

/** Photos of one observation: thumbnails, a full view, and the camera. */
export function Photos(props: {
  walkId: string;
  photoIds: string[];
  onChange(ids: string[]): void;
}) {
  const [busy, setBusy] = useState(false);
  const full = props.photoIds.length >= MAX_PHOTOS_PER_OBSERVATION;
  async function onFiles(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const files = [...(input.files ?? [])].slice(
      0,
      MAX_PHOTOS_PER_OBSERVATION - props.photoIds.length,
    );
    input.value = "";
    setBusy(true);
    const added: string[] = [];
    for (const file of files) {
      const id = await addPhoto(props.walkId, file);
      if (id && !props.photoIds.includes(id) && !added.includes(id)) added.push(id);
    }
    setBusy(false);
    if (added.length > 0) props.onChange([...props.photoIds, ...added]);
  }
  return (
    <fieldset class="field">
      <legend>{t("photos")}</legend>
      {props.photoIds.length > 0 && (
        <ul class="photo-list">
          {props.photoIds.map((id, index) => (
            <Thumbnail
              key={id}
              id={id}
              index={index + 1}
              onRemove={() =>
                props.onChange(props.photoIds.filter((candidate) => candidate !== id))
              }
            />
          ))}
        </ul>
      )}
      {full ? (
        <p class="hint">{t("photoLimit", { count: MAX_PHOTOS_PER_OBSERVATION })}</p>
      ) : (
        <label class="button file-button">
          <span aria-hidden="true">📷 </span>
          {busy ? t("photoProcessing") : t("addPhoto")}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            class="visually-hidden"
            data-testid="photo-input"
            disabled={busy}
            onChange={onFiles}
          />
        </label>
      )}
    </fieldset>
  );
}
