/** One dependency the platform cannot serve without, checked by one cheap call. */
export interface DependencyProbe {
  /** Resolves when the dependency answered; rejects (or times out) when it did not. */
  probe(): Promise<void>;
}
