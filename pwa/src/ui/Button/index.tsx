import type { ButtonHTMLAttributes, ComponentChildren } from "preact";
import "./style.css";

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "danger" | "ghost";
  block?: boolean;
  children: ComponentChildren;
  type?: "button" | "submit";
};

/** A touch target at least 56 px high: gloved thumbs, not mouse pointers. */
export function Button({ variant = "primary", block, class: cls, type = "button", ...rest }: Props) {
  return <button type={type} class={`btn btn-${variant}${block ? " btn-block" : ""} ${cls ?? ""}`} {...rest} />;
}
