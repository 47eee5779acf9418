/** A custom CPU model: a GGUF URL, or a .gguf file from this computer stored by the engine host. */
import { useState } from 'preact/hooks';
import type { Settings } from '../../shared/settings';
import { formatBytes } from '../../shared/format';
import type { AskHost } from './host-client';
import { importModelFile } from './model-file-client';

interface CustomModelProps {
  onChange: (patch: Partial<Settings>) => void | Promise<void>;
  askHost: AskHost;
  /** True while a picked file is being stored (the page keeps the engine host awake meanwhile). */
  onBusy: (busy: boolean) => void;
}

/** Stores a picked file through the engine host, saying how far it got; selects it when stored. */
function useFileImport({ onChange, askHost, onBusy }: CustomModelProps) {
  const [fileNote, setFileNote] = useState('');
  async function pickFile(file: File | undefined): Promise<void> {
    if (!file) return;
    onBusy(true);
    try {
      setFileNote(`Copying ${file.name} into the extension's storage…`);
      const answer = await importModelFile(file, (written) => setFileNote(`Copying ${file.name}: ${formatBytes(written)} of ${formatBytes(file.size)}`), askHost);
      if (!answer.ok) return setFileNote(`The file could not be stored: ${answer.message}`);
      setFileNote(`${file.name} is stored; it works offline.`);
      await onChange({ engine: 'wllama', modelId: answer.modelId });
    } catch (e) {
      setFileNote(`The file could not be stored: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      onBusy(false);
    }
  }
  return { fileNote, pickFile };
}

export function CustomModelSection(props: CustomModelProps) {
  const [customUrl, setCustomUrl] = useState('');
  const { fileNote, pickFile } = useFileImport(props);
  return (
    <fieldset>
      <legend>Custom CPU model</legend>
      <label>
        GGUF model URL
        <div class="row">
          <input
            type="text"
            data-testid="custom-model-url"
            placeholder="https://example.org/models/my-model-q8_0.gguf"
            value={customUrl}
            onInput={(e) => setCustomUrl(e.currentTarget.value)}
          />
          <button
            type="button"
            class="btn"
            data-testid="custom-model-use"
            disabled={!customUrl.trim()}
            onClick={() => void props.onChange({ engine: 'wllama', modelId: customUrl.trim() })}
          >
            Use this URL
          </button>
        </div>
      </label>
      <label>
        Or a .gguf file from this computer (for offline and air-gapped use)
        <input type="file" accept=".gguf" data-testid="custom-model-file" onChange={(e) => void pickFile(e.currentTarget.files?.[0])} />
      </label>
      {fileNote ? <p class="muted small" data-testid="custom-model-file-note">{fileNote}</p> : null}
    </fieldset>
  );
}
