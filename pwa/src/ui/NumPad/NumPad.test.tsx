import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NumPad } from ".";

let root: HTMLElement;

function mount(props: Partial<Parameters<typeof NumPad>[0]> & { onDone: (v: number | null, text: string) => void }) {
  root = document.createElement("div");
  document.body.append(root);
  act(() => render(<NumPad title="Quantity" {...props} />, root));
}

const button = (name: string) =>
  [...root.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === name);
const press = (...names: string[]) => names.forEach((name) => act(() => button(name)!.click()));
const display = () => root.querySelector("[data-testid=numpad-display]")!.textContent;

afterEach(() => {
  render(null, root);
  root.remove();
});

describe("NumPad", () => {
  it("has a decimal point key only when the unit has decimals", () => {
    const onDone = vi.fn();
    mount({ onDone, decimals: 0 });
    expect(button("Decimal point")).toBeUndefined();
    render(null, root);
    root.remove();
    mount({ onDone, decimals: 2 });
    expect(button("Decimal point")!.textContent).toBe(".");
  });

  it("starts a leading point as 0. and sends the exact text", () => {
    const onDone = vi.fn();
    mount({ onDone, decimals: 3 });
    press("Decimal point");
    expect(display()).toBe("0.");
    press("5", "OK");
    expect(onDone).toHaveBeenCalledWith(0.5, "0.5");
  });

  it("replaces the value shown with the first key, the point included", () => {
    const onDone = vi.fn();
    mount({ onDone, decimals: 3, initial: "2.5" });
    expect(display()).toBe("2.5");
    press("Decimal point", "2", "5", "Delete last digit", "OK");
    expect(onDone).toHaveBeenCalledWith(0.2, "0.2");
  });

  it("keeps the value shown when the first key is refused", () => {
    const onDone = vi.fn();
    mount({ onDone, decimals: 0, initial: 3, max: 5 });
    press("9");
    expect(display()).toBe("3");
    expect(root.querySelector("[data-testid=numpad-note]")!.textContent).toBe("At most 5");
    press("4", "OK");
    expect(onDone).toHaveBeenCalledWith(4, "4");
  });

  it("a PIN keeps its leading zero and has no point", () => {
    const onDone = vi.fn();
    mount({ onDone, secret: true, maxLength: 4, decimals: 3 });
    expect(button("Decimal point")).toBeUndefined();
    press("0", "7", "OK");
    expect(onDone).toHaveBeenCalledWith(7, "07");
    expect(display()).toBe("●●");
  });
});
