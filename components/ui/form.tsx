import type { ComponentProps, InputHTMLAttributes, ReactNode } from "react";
import { cx } from "./cx";
import { focusRing } from "./focus";

/** Form controls sharing one look; invalid ones (aria-invalid) turn red. */

const controlClassName = cx(
  "block w-full rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-900 shadow-sm",
  "placeholder:text-slate-500 disabled:bg-slate-50 disabled:text-slate-500",
  "aria-invalid:border-red-600 aria-invalid:ring-1 aria-invalid:ring-red-600",
  focusRing,
);

/** The ids a control's aria-describedby should name, given what its Field shows. */
export function describedBy(id: string, hint?: ReactNode, error?: ReactNode): string | undefined {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

export interface FieldProps {
  /** the control's id */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  optional?: boolean;
  className?: string;
  children: ReactNode;
}

/** A label, the control, and either its hint or its error. */
export function Field({ id, label, hint, error, optional, className, children }: FieldProps) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
        {optional ? <span className="ml-1 font-normal text-slate-500">(optional)</span> : null}
      </label>
      <div className="mt-1">{children}</div>
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export interface InputProps extends ComponentProps<"input"> {
  /** "md" (h-9) by default; "lg" (h-10) to sit beside a md Button */
  controlSize?: "md" | "lg";
}

export function Input({ className, controlSize = "md", ...props }: InputProps) {
  return <input className={cx(controlClassName, controlSize === "lg" ? "h-10" : "h-9", className)} {...props} />;
}

export function Select({ className, ...props }: ComponentProps<"select">) {
  return <select className={cx(controlClassName, "h-9 pr-8", className)} {...props} />;
}

export interface TextFieldProps extends InputProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  optional?: boolean;
  /** the Field's class; `className` goes to the input */
  fieldClassName?: string;
}

/** A Field around an Input, its aria-invalid and aria-describedby following the error and hint. */
export function TextField({ id, label, hint, error, optional, fieldClassName, ...input }: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} optional={optional} className={fieldClassName}>
      <Input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
    </Field>
  );
}

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "type"> {
  label: ReactNode;
  description?: ReactNode;
}

export function Checkbox({ label, description, className, id, ...props }: CheckboxProps) {
  return (
    <label htmlFor={id} className={cx("flex cursor-pointer items-start gap-2.5 text-sm", props.disabled && "cursor-not-allowed opacity-60", className)}>
      <input
        id={id}
        type="checkbox"
        className={cx("mt-0.5 h-4 w-4 shrink-0 rounded border-slate-400 accent-indigo-700", focusRing)}
        {...props}
      />
      <span className="min-w-0">
        <span className="block font-medium text-slate-800">{label}</span>
        {description ? <span className="block text-xs text-slate-600">{description}</span> : null}
      </span>
    </label>
  );
}

export interface FieldsetProps {
  legend: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  optional?: boolean;
  className?: string;
  children: ReactNode;
}

/** A group of checkboxes or radios under one legend. */
function Fieldset({ legend, hint, error, optional, className, children }: FieldsetProps) {
  return (
    <fieldset className={className} aria-invalid={error ? true : undefined}>
      <legend className="text-sm font-medium text-slate-800">
        {legend}
        {optional ? <span className="ml-1 font-normal text-slate-500">(optional)</span> : null}
      </legend>
      {hint ? <p className="mt-0.5 text-xs text-slate-600">{hint}</p> : null}
      <div className="mt-2">{children}</div>
      {error ? <p className="mt-1 text-xs font-medium text-red-700">{error}</p> : null}
    </fieldset>
  );
}

/** `list` with `value` added (on) or taken out (off). */
function toggleValue(list: readonly string[], value: string, on: boolean): string[] {
  return on ? [...list, value] : list.filter((item) => item !== value);
}

export interface CheckboxOption {
  value: string;
  /** the checkbox's id */
  id: string;
  label: ReactNode;
  description?: ReactNode;
}

export interface CheckboxGroupProps extends Omit<FieldsetProps, "children"> {
  options: readonly CheckboxOption[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  /** the grid the boxes sit in */
  gridClassName: string;
  /** when set, each box carries this name and its option's value */
  name?: string;
}

/** Checkboxes under one legend, ticking values in and out of `selected`. */
export function CheckboxGroup({ options, selected, onChange, gridClassName, name, ...fieldset }: CheckboxGroupProps) {
  return (
    <Fieldset {...fieldset}>
      <div className={gridClassName}>
        {options.map((option) => (
          <Checkbox
            key={option.value}
            id={option.id}
            name={name}
            value={name ? option.value : undefined}
            checked={selected.includes(option.value)}
            onChange={(e) => onChange(toggleValue(selected, option.value, e.target.checked))}
            label={option.label}
            description={option.description}
          />
        ))}
      </div>
    </Fieldset>
  );
}

export interface FormAlertProps {
  title?: ReactNode;
  message: ReactNode;
  /** a reference to quote (the correlation id) */
  reference?: string | null;
  className?: string;
}

/** Why a submission was refused, at the top of the form; announced to screen readers. */
export function FormAlert({ title, message, reference, className }: FormAlertProps) {
  return (
    <div role="alert" className={cx("rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900", className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      <p>{message}</p>
      {reference ? (
        <p className="mt-0.5 text-xs text-red-800">
          Reference: <code className="font-mono">{reference}</code>
        </p>
      ) : null}
    </div>
  );
}
