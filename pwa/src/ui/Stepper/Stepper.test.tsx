import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Stepper } from ".";

let root: HTMLElement;

function mount(value: number, onChange: (v: number) => void, max = 10) {
  root = document.createElement("div");
  document.body.append(root);
  act(() => render(<Stepper label="Good" value={value} onChange={onChange} max={max} />, root));
}

const button = (name: string) =>
  [...root.querySelectorAll("button")].find((b) => b.getAttribute("aria-label") === name || b.textContent === name)!;

afterEach(() => {
  render(null, root);
  root.remove();
});

describe("Stepper", () => {
  it("steps up and down by one and never below the minimum", () => {
    const onChange = vi.fn();
    mount(0, onChange);
    expect(button("Less Good").disabled).toBe(true);
    act(() => button("More Good").click());
    expect(onChange).toHaveBeenCalledWith(1);
  });

  it("opens a numeric pad on the number and takes a typed quantity, capped at the maximum", () => {
    const onChange = vi.fn();
    mount(3, onChange, 40);
    act(() => button("Type Good").click());
    act(() => button("4").click());
    act(() => button("7").click()); // 47 would pass the maximum of 40: refused
    act(() => button("OK").click());
    expect(onChange).toHaveBeenCalledWith(4);
  });
});
