//! Warm instances of one function: at most N, each running one call at a time, a bounded
//! queue for the calls that wait, reload when the directory changes, and a shutdown that
//! leaves no process behind.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::error::LocalError;
use super::fingerprint;
use super::function::{Function, Overrides, Runtime};
use super::instance::Instance;
use super::interpreter::Interpreters;
use super::launch::StartOptions;
use super::platform::Tree;
use super::reply::{Call, Reply};

/// How often, at most, the directory is checked for changes.
const CHECK_EVERY: Duration = Duration::from_millis(200);

/// How a pool runs its instances.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Instances running at once (an HTTP function always has one: port 8000 is fixed).
    pub max_instances: usize,
    /// Calls that may wait for a busy instance; one more is refused with
    /// [`LocalError::Busy`].
    pub queue: usize,
    /// Retire every instance when a file in the function directory changes.
    pub reload: bool,
    pub start: StartOptions,
    /// Shared by the pools of HTTP functions that one server runs: port 8000 is theirs in
    /// turn (see [`Port8000`]).
    pub port_8000: Option<Port8000>,
}

/// Port 8000, which every HTTP function listens on: one function's instance holds it at a
/// time. A call to another HTTP function waits for the calls in flight, then retires the
/// warm instance that holds the port and starts its own. Cheap to clone; every clone is the
/// same port.
#[derive(Clone, Default)]
pub struct Port8000(Arc<tokio::sync::Mutex<Option<std::sync::Weak<Inner>>>>);

impl std::fmt::Debug for Port8000 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Port8000")
    }
}

impl Port8000 {
    /// Hold the port for `pool`'s call: wait for the call in flight (of any HTTP function),
    /// and retire the instance of another function that holds it.
    async fn claim(
        &self,
        pool: &Arc<Inner>,
    ) -> tokio::sync::OwnedMutexGuard<Option<std::sync::Weak<Inner>>> {
        let mut holder = self.0.clone().lock_owned().await;
        let previous = holder.replace(Arc::downgrade(pool));
        if let Some(previous) = previous.and_then(|p| p.upgrade())
            && !Arc::ptr_eq(&previous, pool)
        {
            let idle = std::mem::take(&mut lock(&previous.state).idle);
            for tracked in idle {
                tracked.stop().await;
            }
        }
        holder
    }
}

impl Default for PoolOptions {
    fn default() -> PoolOptions {
        PoolOptions {
            max_instances: 4,
            queue: 64,
            reload: true,
            start: StartOptions::default(),
            port_8000: None,
        }
    }
}

/// Warm instances of one function. Cheap to clone; every clone is the same pool.
#[derive(Clone)]
pub struct Pool {
    inner: Arc<Inner>,
}

struct Inner {
    dir: PathBuf,
    overrides: Overrides,
    interpreters: Interpreters,
    options: PoolOptions,
    permits: Semaphore,
    waiting: AtomicUsize,
    closed: AtomicBool,
    state: Mutex<State>,
    /// The process trees of every instance alive, idle or busy, by id.
    live: Live,
}

type Live = Arc<Mutex<HashMap<u32, Tree>>>;

struct State {
    function: Arc<Function>,
    generation: u64,
    idle: Vec<Tracked>,
    fingerprint: u64,
    checked: Instant,
}

/// An instance and its generation, registered in `live` while it exists.
struct Tracked {
    instance: Option<Instance>,
    generation: u64,
    live: Live,
}

impl Tracked {
    async fn stop(mut self) {
        if let Some(instance) = self.instance.take() {
            let id = instance.tree().id();
            instance.stop().await;
            lock(&self.live).remove(&id);
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        // Dropped without `stop` (a cancelled call): the instance's own drop kills it.
        if let Some(instance) = self.instance.take() {
            lock(&self.live).remove(&instance.tree().id());
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Pool {
    /// A pool for `function`, loaded with `overrides` and `interpreters` (used again to
    /// reload it from `function.dir`). No instance starts before the first call.
    pub fn new(
        function: Function,
        overrides: Overrides,
        interpreters: Interpreters,
        mut options: PoolOptions,
    ) -> Pool {
        if function.runtime == Runtime::Http {
            options.max_instances = 1;
        }
        options.max_instances = options.max_instances.max(1);
        let fingerprint = if options.reload {
            fingerprint::of(&function.dir)
        } else {
            0
        };
        Pool {
            inner: Arc::new(Inner {
                dir: function.dir.clone(),
                overrides,
                interpreters,
                permits: Semaphore::new(options.max_instances),
                options,
                waiting: AtomicUsize::new(0),
                closed: AtomicBool::new(false),
                state: Mutex::new(State {
                    function: Arc::new(function),
                    generation: 0,
                    idle: Vec::new(),
                    fingerprint,
                    checked: Instant::now(),
                }),
                live: Arc::default(),
            }),
        }
    }

    /// The function as last loaded.
    pub fn function(&self) -> Arc<Function> {
        lock(&self.inner.state).function.clone()
    }

    /// Run one call on a warm instance (starting one if none is idle), waiting in the
    /// queue when all are busy.
    pub async fn invoke(&self, call: Call) -> Result<Reply, LocalError> {
        let inner = &self.inner;
        let shut = || LocalError::machine("the local function pool has shut down");
        if inner.closed.load(Ordering::Acquire) {
            return Err(shut());
        }
        let _permit = match inner.permits.try_acquire() {
            Ok(permit) => permit,
            Err(tokio::sync::TryAcquireError::Closed) => return Err(shut()),
            Err(tokio::sync::TryAcquireError::NoPermits) => {
                if inner.waiting.fetch_add(1, Ordering::AcqRel) >= inner.options.queue {
                    inner.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(LocalError::Busy {
                        queue: inner.options.queue,
                    });
                }
                let permit = inner.permits.acquire().await;
                inner.waiting.fetch_sub(1, Ordering::AcqRel);
                permit.map_err(|_| shut())?
            }
        };
        let _port = match &inner.options.port_8000 {
            Some(port) if self.function().runtime == Runtime::Http => Some(port.claim(inner).await),
            _ => None,
        };
        let (mut tracked, retired) = self.take_instance()?;
        for old in retired {
            old.stop().await;
        }
        if tracked.instance.is_none() {
            let function = self.function();
            let instance = Instance::start(&function, &inner.options.start).await?;
            let tree = instance.tree().clone();
            lock(&inner.live).insert(tree.id(), tree);
            if inner.closed.load(Ordering::Acquire) {
                instance.tree().kill();
            }
            tracked.instance = Some(instance);
        }
        let reply = match tracked.instance.as_mut() {
            Some(instance) => instance.invoke(call).await,
            None => return Err(LocalError::machine("no instance")),
        };
        let keep = matches!(&reply, Ok(r) if !r.retire)
            && tracked.instance.as_mut().is_some_and(|i| !i.is_dead())
            && !inner.closed.load(Ordering::Acquire);
        if keep {
            let mut state = lock(&inner.state);
            if state.generation == tracked.generation {
                state.idle.push(tracked);
                return reply;
            }
        }
        tracked.stop().await;
        reply
    }

    /// An idle instance of the current generation (or an empty slot to start one in), and
    /// the instances to stop because the code changed.
    fn take_instance(&self) -> Result<(Tracked, Vec<Tracked>), LocalError> {
        let inner = &self.inner;
        let mut state = lock(&inner.state);
        let mut retired = Vec::new();
        if inner.options.reload && state.checked.elapsed() >= CHECK_EVERY {
            state.checked = Instant::now();
            let now = fingerprint::of(&inner.dir);
            if now != state.fingerprint {
                let (function, _warnings) =
                    Function::load(&inner.dir, &inner.overrides, &inner.interpreters)?;
                state.function = Arc::new(function);
                state.fingerprint = now;
                state.generation += 1;
                retired.append(&mut state.idle);
            }
        }
        let generation = state.generation;
        while let Some(mut tracked) = state.idle.pop() {
            if tracked.instance.as_mut().is_some_and(|i| !i.is_dead()) {
                return Ok((tracked, retired));
            }
            retired.push(tracked);
        }
        Ok((
            Tracked {
                instance: None,
                generation,
                live: inner.live.clone(),
            },
            retired,
        ))
    }

    /// Stop every instance, idle or busy, with all their processes; later calls fail.
    pub async fn shutdown(&self) {
        let inner = &self.inner;
        inner.closed.store(true, Ordering::Release);
        inner.permits.close();
        let idle = std::mem::take(&mut lock(&inner.state).idle);
        for tracked in idle {
            tracked.stop().await;
        }
        // Busy instances: their calls end as function errors and are not kept.
        for tree in lock(&inner.live).values() {
            tree.kill();
        }
    }

    /// The process groups alive now (for tests).
    #[cfg(test)]
    pub fn live_groups(&self) -> Vec<u32> {
        lock(&self.inner.live).keys().copied().collect()
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        for tree in lock(&self.live).values() {
            tree.kill();
        }
    }
}
