import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { useTRPC } from "../lib/trpc.ts";
import type { ControlProps } from "./field.tsx";

interface TagComboboxProps {
  control: ControlProps;
  value: string;
  onChange: (name: string) => void;
  /** Called when a suggestion is picked (by click or Enter), with the tag's id. */
  onPick?: (tag: { id: string; name: string }) => void;
  placeholder?: string;
}

/**
 * An activity tag input that suggests the user's tags as they type: by substring, by 초성
 * ("ㅋㅅㅈ" finds "큐시즘") or by a syllable being typed (activityTags.search). ARIA 1.2 combobox:
 * arrows move through the suggestions, Enter picks one, Escape closes them.
 */
export function TagCombobox({ control, value, onChange, onPick, placeholder }: TagComboboxProps) {
  const trpc = useTRPC();
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = value.trim();
  const { data: suggestions = [] } = useQuery({
    ...trpc.activityTags.search.queryOptions({ query }),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });
  const shown = open && query.length > 0 ? suggestions : [];

  const pick = (tag: { id: string; name: string }) => {
    onChange(tag.name);
    onPick?.(tag);
    setOpen(false);
    setActive(-1);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (shown.length === 0 ? -1 : (index + step + shown.length) % shown.length));
    } else if (event.key === "Enter" && open && shown[active]) {
      event.preventDefault();
      pick(shown[active]);
    } else if (event.key === "Escape") {
      setOpen(false);
    }
  };

  return (
    <div className="combobox">
      <input
        {...control}
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-activedescendant={shown[active] ? `${listId}-${shown[active].id}` : undefined}
        value={value}
        placeholder={placeholder}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false);
        }}
      />
      <ul id={listId} role="listbox" aria-label="추천 활동 태그" hidden={shown.length === 0}>
        {shown.map((tag, index) => (
          <li
            key={tag.id}
            id={`${listId}-${tag.id}`}
            role="option"
            aria-selected={index === active}
            // Before the input's blur closes the list.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(tag);
            }}
          >
            {tag.name} <span className="meta">기록 {tag.episodeCount}개</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
