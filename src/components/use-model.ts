import { useEffect, useState } from 'react';
import type { StepModel } from '../model/step-model';

/** Re-renders the calling view whenever the model says it changed. */
export function useModel(model: StepModel): void {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion(value => value + 1);
    model.changed.connect(bump);
    return () => {
      model.changed.disconnect(bump);
    };
  }, [model]);
}
