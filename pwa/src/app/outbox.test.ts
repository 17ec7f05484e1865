import { describe, expect, it, vi } from "vitest";

const enqueued: unknown[] = [];
vi.mock("../outbox/outbox", () => ({
  enqueue: vi.fn(async (input: Record<string, unknown>) => {
    enqueued.push(input);
    await new Promise((resolve) => setTimeout(resolve, 20)); // IndexedDB takes a moment
    return { id: `cmd-${enqueued.length}`, ...input };
  }),
  listCommands: vi.fn(async () => []),
  onOutboxChange: vi.fn(),
}));

const { submitOnce } = await import("./outbox");

describe("submitOnce", () => {
  it("queues one command for a double tap, and the next tap after it again", async () => {
    const input = { path: "/api/v1/stock/moves", body: {}, recordKey: "MOVE:X", label: "move" };
    const [first, second] = await Promise.all([submitOnce("move", input), submitOnce("move", input)]);
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(enqueued).toHaveLength(1);
    expect(await submitOnce("move", input)).not.toBeNull();
    expect(enqueued).toHaveLength(2);
  });
});
