import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import type { RouterOutputs } from "@daycarat/client";
import { ConfirmDialog } from "../components/confirm-dialog.tsx";
import { Field, FormError } from "../components/field.tsx";
import { forgetDrafts } from "../lib/drafts.ts";
import { koreanFieldErrors, koreanMessage } from "../lib/errors.ts";
import { sessionStore } from "../lib/session.ts";
import { useTRPC, useTRPCClient } from "../lib/trpc.ts";

type Preferences = RouterOutputs["preferences"]["get"];

function Toggle({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <label className="actions" style={{ marginBottom: "0.5rem" }}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => {
          onChange(event.target.checked);
        }}
      />
      {label}
    </label>
  );
}

function NotificationSettings({ initial, pushAllowed }: { initial: Preferences; pushAllowed: boolean }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [preferences, setPreferences] = useState(initial);
  const [push, setPush] = useState(pushAllowed);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: async () => {
      const updated = await client.preferences.update.mutate(preferences);
      if (push !== pushAllowed) queryClient.setQueryData(trpc.me.get.queryKey(), await client.me.update.mutate({ pushAllowed: push }));
      return updated;
    },
    onSuccess: (updated) => {
      queryClient.setQueryData(trpc.preferences.get.queryKey(), updated);
      setSaved(true);
    },
  });
  const errors = koreanFieldErrors(save.error);
  const change = (next: Partial<Preferences>) => {
    setSaved(false);
    setPreferences({ ...preferences, ...next });
  };
  const quietHours = (next: Partial<Preferences["quietHours"]>) => {
    change({ quietHours: { ...preferences.quietHours, ...next } });
  };
  return (
    <form
      className="card"
      aria-labelledby="notification-settings"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <h2 id="notification-settings" style={{ marginTop: 0 }}>
        알림
      </h2>
      <Toggle
        label="푸시 알림 받기"
        checked={push}
        onChange={(checked) => {
          setSaved(false);
          setPush(checked);
        }}
      />
      <fieldset>
        <legend>받을 알림</legend>
        <Toggle
          label="AI 분석 결과"
          checked={preferences.aiResults}
          onChange={(aiResults) => {
            change({ aiResults });
          }}
        />
        <Toggle
          label="공지사항"
          checked={preferences.notices}
          onChange={(notices) => {
            change({ notices });
          }}
        />
        <Toggle
          label="기록 리마인더"
          checked={preferences.reminders}
          onChange={(reminders) => {
            change({ reminders });
          }}
        />
      </fieldset>
      <fieldset>
        <legend>방해 금지 시간</legend>
        <Toggle
          label="방해 금지 시간 사용"
          checked={preferences.quietHours.enabled}
          onChange={(enabled) => {
            quietHours({ enabled });
          }}
        />
        <div className="filters">
          <Field label="시작 시각" error={errors["quietHours.start"]}>
            {(control) => (
              <input
                {...control}
                type="time"
                value={preferences.quietHours.start}
                onChange={(event) => {
                  quietHours({ start: event.target.value });
                }}
              />
            )}
          </Field>
          <Field label="종료 시각" error={errors["quietHours.end"]}>
            {(control) => (
              <input
                {...control}
                type="time"
                value={preferences.quietHours.end}
                onChange={(event) => {
                  quietHours({ end: event.target.value });
                }}
              />
            )}
          </Field>
        </div>
        <p className="field-hint">이 시간에는 푸시를 보내지 않아요. 알림함에는 그대로 쌓여요.</p>
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          설정 저장
        </button>
        <span role="status">{saved ? "저장했어요." : ""}</span>
      </div>
      <FormError message={save.error && Object.keys(errors).length === 0 ? koreanMessage(save.error) : null} />
    </form>
  );
}

function AccountSettings() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const leave = async () => {
    forgetDrafts();
    queryClient.clear();
    await navigate({ to: "/sign-in" });
  };
  const signOut = useMutation({
    mutationFn: async () => {
      const refreshToken = (await sessionStore.get())?.refreshToken;
      if (refreshToken) await client.auth.signOut.mutate({ refreshToken });
      await sessionStore.set(null);
    },
    onSuccess: leave,
  });
  const remove = useMutation(trpc.me.delete.mutationOptions({ onSuccess: leave }));
  return (
    <section className="card" aria-labelledby="account-settings">
      <h2 id="account-settings" style={{ marginTop: 0 }}>
        계정
      </h2>
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            signOut.mutate();
          }}
          disabled={signOut.isPending}
        >
          로그아웃
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            setConfirming(true);
          }}
        >
          회원 탈퇴
        </button>
      </div>
      <FormError message={signOut.error ? koreanMessage(signOut.error) : null} />
      <ConfirmDialog
        open={confirming}
        title="정말 탈퇴할까요?"
        confirmLabel="탈퇴하기"
        busy={remove.isPending}
        onConfirm={() => {
          remove.mutate();
        }}
        onCancel={() => {
          setConfirming(false);
        }}
      >
        <p>모든 기록과 보석, 알림이 지워지고 되돌릴 수 없어요.</p>
        <FormError message={remove.error ? koreanMessage(remove.error) : null} />
      </ConfirmDialog>
    </section>
  );
}

export function SettingsScreen() {
  const trpc = useTRPC();
  const preferences = useQuery(trpc.preferences.get.queryOptions());
  const me = useQuery(trpc.me.get.queryOptions());
  return (
    <>
      <h1>설정</h1>
      {me.data && (
        <p className="meta">
          <span>{me.data.nickname}</span>
          <span>{me.data.email}</span>
          <span>컬렉터 등급 {me.data.collectorLevel}</span>
        </p>
      )}
      {preferences.data && me.data ? (
        <NotificationSettings initial={preferences.data} pushAllowed={me.data.pushAllowed} />
      ) : (
        <p>불러오는 중…</p>
      )}
      <AccountSettings />
    </>
  );
}
