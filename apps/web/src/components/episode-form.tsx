import { ContentBlock, type ContentDraft } from "./content-block.tsx";
import { Field, FormError } from "./field.tsx";
import { TagCombobox } from "./tag-combobox.tsx";
import { koreanFieldErrors, koreanMessage } from "../lib/errors.ts";

export interface EpisodeDraft {
  title: string;
  date: string;
  activityTag: string;
  contents: ContentDraft[];
}

export const newContent = (): ContentDraft => ({ key: crypto.randomUUID(), type: "LESSONS_LEARNED", content: "" });

export const today = (): string => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

/** The API's input for a draft: contents in their order, without the form's keys. */
export const toEpisodeInput = ({ contents, ...fields }: EpisodeDraft) => ({
  ...fields,
  title: fields.title.trim(),
  activityTag: fields.activityTag.trim(),
  contents: contents.map(({ type, content }) => ({ type, content })),
});

interface EpisodeFormProps {
  value: EpisodeDraft;
  onChange: (value: EpisodeDraft) => void;
  onSubmit: () => void;
  submitLabel: string;
  pending: boolean;
  error: unknown;
}

/** Title, date, activity tag (with suggestions) and the ordered contents; each API complaint next to its field. */
export function EpisodeForm({ value, onChange, onSubmit, submitLabel, pending, error }: EpisodeFormProps) {
  const errors = koreanFieldErrors(error);
  const setContents = (contents: ContentDraft[]) => {
    onChange({ ...value, contents });
  };
  const move = (index: number, by: -1 | 1) => {
    const contents = [...value.contents];
    const [moved] = contents.splice(index, 1);
    if (moved) contents.splice(index + by, 0, moved);
    setContents(contents);
  };
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Field label="제목" error={errors.title} hint="100자 이내">
        {(control) => (
          <input
            {...control}
            required
            value={value.title}
            onChange={(event) => {
              onChange({ ...value, title: event.target.value });
            }}
          />
        )}
      </Field>
      <Field label="날짜" error={errors.date}>
        {(control) => (
          <input
            {...control}
            type="date"
            required
            value={value.date}
            onChange={(event) => {
              onChange({ ...value, date: event.target.value });
            }}
          />
        )}
      </Field>
      <Field label="활동 태그" error={errors.activityTag} hint="예: 큐시즘 29기. 새 이름이면 새 태그가 만들어져요.">
        {(control) => (
          <TagCombobox
            control={control}
            value={value.activityTag}
            onChange={(activityTag) => {
              onChange({ ...value, activityTag });
            }}
          />
        )}
      </Field>
      <h2>내용</h2>
      {value.contents.map((content, index) => (
        <ContentBlock
          key={content.key}
          index={index}
          count={value.contents.length}
          value={content}
          error={errors[`contents.${index}.content`] ?? errors[`contents.${index}.type`]}
          onChange={(changed) => {
            setContents(value.contents.map((other) => (other.key === content.key ? changed : other)));
          }}
          onMove={(by) => {
            move(index, by);
          }}
          onRemove={() => {
            setContents(value.contents.filter((other) => other.key !== content.key));
          }}
        />
      ))}
      <FormError message={errors.contents} />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          disabled={value.contents.length >= 20}
          onClick={() => {
            setContents([...value.contents, newContent()]);
          }}
        >
          내용 추가
        </button>
        <button type="submit" disabled={pending}>
          {pending ? "저장 중…" : submitLabel}
        </button>
      </div>
      <FormError message={error && Object.keys(errors).length === 0 ? koreanMessage(error) : null} />
    </form>
  );
}
