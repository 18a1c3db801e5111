package io.specwatch.cli.run;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Watches the folders of the spec files and asks for a reload when one of the files changes.
 * Folders, not files, because editors save by writing a new file and renaming it over the old
 * one, and Kubernetes updates a mounted ConfigMap by swapping a symlink: both replace the file,
 * which a watch on the file itself would miss. Events within {@code settleMillis} are merged
 * into one reload, so an editor's several writes give one recompile.
 */
final class SpecWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SpecWatcher.class.getName());

  private final WatchService watch;
  private final Set<Path> names = new HashSet<>();
  private final Thread thread;
  private final Runnable onChange;
  private final long settleMillis;

  SpecWatcher(List<Path> specs, Runnable onChange, long settleMillis) throws IOException {
    this.watch = FileSystems.getDefault().newWatchService();
    this.onChange = onChange;
    this.settleMillis = settleMillis;
    Set<Path> dirs = new HashSet<>();
    for (Path p : specs) {
      Path abs = p.toAbsolutePath().normalize();
      names.add(abs.getFileName());
      if (dirs.add(abs.getParent())) {
        abs.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
    this.thread = new Thread(this::run, "specwatch-spec-watcher");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    try {
      while (true) {
        WatchKey key = watch.take();
        boolean relevant = drain(key);
        // Merge a burst of events (editor writes, symlink swaps) into one reload.
        WatchKey more;
        while ((more = watch.poll(settleMillis, TimeUnit.MILLISECONDS)) != null) {
          relevant |= drain(more);
        }
        if (relevant) {
          LOG.info("a spec file changed; reloading");
          onChange.run();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
  }

  private boolean drain(WatchKey key) {
    boolean relevant = false;
    for (WatchEvent<?> e : key.pollEvents()) {
      Object ctx = e.context();
      // ..data / symlink swaps (ConfigMaps) change names other than the spec's: count any
      // change in the folder that is not a temporary file of ours.
      if (ctx == null || !(ctx instanceof Path p) || names.contains(p) || p.toString().startsWith("..")) {
        relevant = true;
      }
    }
    key.reset();
    return relevant;
  }

  @Override
  public void close() throws IOException {
    watch.close();
    thread.interrupt();
  }
}
