// aws-local-stepfunctions 3 targets Node >= 22 and calls Promise.withResolvers; this machine runs
// Node 20, so provide the standard ES2024 behaviour when it is missing.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
