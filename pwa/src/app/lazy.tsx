// Office screens (the planner's Gantt and work orders, the admin's links) load on first use, so
// an operator's handheld does not download and parse them before its first screen. The service
// worker precaches every chunk, so once the app is installed they open offline as well.
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import { Button } from "../ui/Button";

/**
 * A component that imports its code on first render and shows a short loading line meanwhile.
 * A failed import (offline before the service worker had precached it, or a deploy that
 * replaced the chunk) says so and offers to try again instead of leaving a blank screen.
 * `page` wraps the loading and failure lines in a page, for components that are whole routes.
 */
export function lazyScreen<P extends object>(
  load: () => Promise<ComponentType<P>>,
  { page = false }: { page?: boolean } = {},
): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;

  return function LazyScreen(props: P) {
    const [, setReady] = useState(false);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded || failed) return;
      let mounted = true;
      loading ??= load();
      loading.then(
        (component) => {
          loaded = component;
          if (mounted) setReady(true);
        },
        () => {
          loading = null; // the next attempt imports afresh
          if (mounted) setFailed(true);
        },
      );
      return () => {
        mounted = false;
      };
    }, [failed]);

    if (loaded) {
      const Screen = loaded;
      return <Screen {...props} />;
    }
    const line = failed ? (
      <div role="alert" data-testid="screen-failed">
        <p class="error-text">{t("app.screenFailed")}</p>
        <Button variant="secondary" onClick={() => setFailed(false)}>{t("app.tryAgain")}</Button>
      </div>
    ) : (
      <p class="muted" aria-busy="true" data-testid="screen-loading">{t("ui.loading")}</p>
    );
    return page ? <main class="page">{line}</main> : line;
  };
}
