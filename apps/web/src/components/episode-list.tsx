import { Link } from "@tanstack/react-router";
import type { RouterOutputs } from "@daycarat/client";
import { KEYWORD_LABELS, monthLabel, STATE_LABELS } from "../lib/labels.ts";

type EpisodeSummary = RouterOutputs["episodes"]["list"]["items"][number];

/** Episodes grouped under a heading per month, newest first (the order the API lists them in). */
export function EpisodeList({ episodes }: { episodes: EpisodeSummary[] }) {
  const months = new Map<string, EpisodeSummary[]>();
  for (const episode of episodes) {
    const key = episode.date.slice(0, 7);
    months.set(key, [...(months.get(key) ?? []), episode]);
  }
  return (
    <>
      {[...months].map(([key, items]) => (
        <section key={key} aria-labelledby={`month-${key}`}>
          <h2 id={`month-${key}`}>{monthLabel(Number(key.slice(0, 4)), Number(key.slice(5, 7)))}</h2>
          <ul className="episode-list">
            {items.map((episode) => (
              <li key={episode.id} className="card">
                <Link to="/episodes/$episodeId" params={{ episodeId: episode.id }} className="episode-link">
                  <strong>{episode.title}</strong>
                  <p style={{ margin: "0.25rem 0" }}>{episode.snippet}</p>
                  <span className="meta">
                    <span>{episode.date}</span>
                    <span className="tag">{episode.activityTag.name}</span>
                    <span>{STATE_LABELS[episode.state]}</span>
                    {episode.keyword !== "UNSET" && <span>#{KEYWORD_LABELS[episode.keyword]}</span>}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
