export * from './decisions';
export * from './optim/cholesky';
export * from './optim/lbfgs';
export * from './scaling';
export * from './shaping';
