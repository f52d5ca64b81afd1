import { describe, expect, it } from 'vitest';
import { readCheckpointName } from './checkpoint-name';
import { createLightningPlugin } from './index';

const file = (path: string) => ({ path, size: 0, mtime: 0 });
const VERSION = '/runs/slm/lightning_logs/version_3';

describe('Lightning checkpoints known by their names only', () => {
  it('ModelCheckpoint default name: the 0-based epoch counted from 1, the optimizer steps done', () => {
    expect(readCheckpointName(file(`${VERSION}/checkpoints/epoch=9-step=140740.ckpt`))).toEqual({
      runKey: VERSION,
      checkpoint: { file: 'epoch=9-step=140740.ckpt', step: 140740, epoch: 10 },
    });
  });

  it('a duplicate name (-v1), a custom template with the metric, zero-padded fields', () => {
    expect(readCheckpointName(file(`${VERSION}/checkpoints/epoch=3-step=400-v1.ckpt`))).toEqual({
      runKey: VERSION,
      checkpoint: { file: 'epoch=3-step=400-v1.ckpt', step: 400, epoch: 4 },
    });
    const custom = 'model-epoch=07-val_loss=0.52.ckpt';
    expect(readCheckpointName(file(`${VERSION}/checkpoints/${custom}`))).toEqual({
      runKey: VERSION,
      checkpoint: { file: custom, epoch: 8 },
    });
    // `global_step=` is not `step=`; `_` separates fields after a value.
    expect(readCheckpointName(file(`${VERSION}/checkpoints/global_step=5.ckpt`))).toEqual({
      runKey: VERSION,
    });
    expect(readCheckpointName(file(`${VERSION}/checkpoints/epoch=3_step=400.ckpt`))).toMatchObject({
      checkpoint: { step: 400, epoch: 4 },
    });
  });

  it('last.ckpt belongs to the run but states no step; a checkpoint elsewhere is only kept unread', () => {
    expect(readCheckpointName(file(`${VERSION}/checkpoints/last.ckpt`))).toEqual({
      runKey: VERSION,
    });
    expect(readCheckpointName(file('/models/epoch=9-step=140740.ckpt'))).toEqual({});
    expect(readCheckpointName(file(`${VERSION}/epoch=9-step=10.ckpt`))).toEqual({});
  });

  it('other files are not side files; the plugin exposes the capability', () => {
    expect(readCheckpointName(file(`${VERSION}/metrics.csv`))).toBeNull();
    expect(readCheckpointName(file(`${VERSION}/checkpoints/model.safetensors`))).toBeNull();
    expect(
      createLightningPlugin().sideFile?.(file(`${VERSION}/checkpoints/epoch=0-step=7.ckpt`)),
    ).toMatchObject({ checkpoint: { step: 7, epoch: 1 } });
  });

  it('Windows paths', () => {
    expect(
      readCheckpointName(
        file('C:\\runs\\lightning_logs\\version_0\\checkpoints\\epoch=1-step=20.ckpt'),
      ),
    ).toEqual({
      runKey: 'C:\\runs\\lightning_logs\\version_0',
      checkpoint: { file: 'epoch=1-step=20.ckpt', step: 20, epoch: 2 },
    });
  });
});
