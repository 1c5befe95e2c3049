// dockerlab-task-links, written by hand (no build step): a JupyterLab extension in the shape JupyterLab loads
// a prebuilt one (a container on window._JUPYTERLAB with init and get). When JupyterLab is opened with a link
// such as .../lab/tree/exercises/student/04-user-networks.ipynb#task-04.2, it waits until the notebook shows
// the element with that id (a task's heading carries <span id="task-04.2">) and scrolls it to the top, as
// JupyterLab itself does for a link followed inside it. It reads nothing and sends nothing.
(function () {
  "use strict";
  var plugin = {
    id: "dockerlab-task-links:plugin",
    description: "Opens a notebook linked with #task-NN.k at that task.",
    autoStart: true,
    activate: function (app) {
      var fragment = window.location.hash;
      if (!fragment || fragment.length < 2) {
        return;
      }
      var wanted = decodeURIComponent(fragment.slice(1));
      var selector = '[data-jupyter-id="' + CSS.escape(wanted) + '"], [id="' + CSS.escape(wanted) + '"]';
      app.restored.then(function () {
        var tries = 0;
        var timer = setInterval(function () {
          var widget = app.shell.currentWidget;
          tries += 1;
          if (widget && typeof widget.setFragment === "function" && widget.node.querySelector(selector)) {
            clearInterval(timer);
            widget.setFragment("#" + wanted);
          } else if (tries > 300) {
            clearInterval(timer);
          }
        }, 100);
      });
    }
  };
  var containers = (window._JUPYTERLAB = window._JUPYTERLAB || {});
  containers["dockerlab-task-links"] = {
    init: function () {
      return Promise.resolve();
    },
    get: function () {
      return Promise.resolve(function () {
        return { __esModule: true, default: [plugin] };
      });
    }
  };
})();
