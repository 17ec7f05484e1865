import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Stepper } from ".";

let root: HTMLElement;

type Extra = { max?: number | string; step?: number | string; decimals?: number };

function mount(value: number | string, onChange: (v: number, text: string) => void, extra: Extra = { max: 10 }) {
  root = document.createElement("div");
  document.body.append(root);
  act(() => render(<Stepper label="Good" value={value} onChange={onChange} {...extra} />, root));
}

const button = (name: string) =>
  [...root.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === name);
const press = (...names: string[]) => names.forEach((name) => act(() => button(name)!.click()));

afterEach(() => {
  render(null, root);
  root.remove();
});

describe("Stepper", () => {
  it("steps up and down by one and never below the minimum", () => {
    const onChange = vi.fn();
    mount(0, onChange);
    expect(button("Less Good")!.disabled).toBe(true);
    press("More Good");
    expect(onChange).toHaveBeenCalledWith(1, "1");
  });

  it("opens a numeric pad on the number and takes a typed quantity, capped at the maximum", () => {
    const onChange = vi.fn();
    mount(3, onChange, { max: 40 });
    press("Type Good", "4", "7", "OK"); // 47 would pass the maximum of 40: refused
    expect(onChange).toHaveBeenCalledWith(4, "4");
  });

  it("has no decimal point for a whole unit", () => {
    mount(3, vi.fn(), { max: 40, decimals: 0 });
    press("Type Good");
    expect(button("Decimal point")).toBeUndefined();
    expect(button(".")).toBeUndefined();
  });

  it("takes 0.015 kg typed on the pad and hands back its exact text", () => {
    const onChange = vi.fn();
    mount(0, onChange, { decimals: 3 });
    press("Type Good", "Decimal point", "0", "1", "5");
    expect(root.querySelector("[data-testid=numpad-display]")!.textContent).toBe("0.015");
    press("6"); // a fourth decimal
    expect(root.querySelector("[data-testid=numpad-display]")!.textContent).toBe("0.015");
    expect(root.querySelector("[data-testid=numpad-note]")!.textContent).toBe("Decimal places allowed: 3");
    press("OK");
    expect(onChange).toHaveBeenCalledWith(0.015, "0.015");
    expect(JSON.stringify({ quantity: onChange.mock.calls[0]![0] })).toBe('{"quantity":0.015}');
  });

  it("steps a decimal quantity by one, exactly, and stops at the maximum", () => {
    const onChange = vi.fn();
    mount("0.1", onChange, { max: "5.3", decimals: 3 });
    expect(button("Type Good")!.textContent).toBe("0.1");
    press("More Good");
    expect(onChange).toHaveBeenLastCalledWith(1.1, "1.1");
    render(null, root);
    root.remove();
    mount(5.2, onChange, { max: "5.3", decimals: 3 });
    press("More Good");
    expect(onChange).toHaveBeenLastCalledWith(5.3, "5.3");
  });

  it("steps by what the screen says (one unit's worth of grease) without float dust", () => {
    const onChange = vi.fn();
    mount(0.03, onChange, { step: 0.015, decimals: 3, max: 1 });
    press("More Good");
    expect(onChange).toHaveBeenLastCalledWith(0.045, "0.045"); // 0.03 + 0.015 in floats is 0.045000000000000005
    press("Less Good");
    expect(onChange).toHaveBeenLastCalledWith(0.015, "0.015");
  });

  it("reads a maximum worked out in floats at the unit's decimals", () => {
    const onChange = vi.fn();
    mount(0, onChange, { max: 0.3 - 0.1, decimals: 1 }); // 0.19999999999999998
    press("Type Good", "Decimal point", "2", "OK");
    expect(onChange).toHaveBeenCalledWith(0.2, "0.2");
  });

  it("takes an unbounded maximum as no maximum", () => {
    const onChange = vi.fn();
    mount(2, onChange, { max: Number.POSITIVE_INFINITY, decimals: 2 });
    press("More Good");
    expect(onChange).toHaveBeenCalledWith(3, "3");
  });

  it("shows a quantity with a '.' whatever the page's locale", () => {
    document.documentElement.lang = "de-DE";
    mount(1234.5, vi.fn(), { max: 99_999, decimals: 2 });
    expect(button("Type Good")!.textContent).toBe("1234.5");
    document.documentElement.lang = "en";
  });
});
