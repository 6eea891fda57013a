"""Open a round's ``ronde.gpkg`` in QGIS as an analyst does, apply each layer's default style and
render the map to a PNG (and the aandachtsgebieden zoomed in to ``<name>-zoom.png``): the check
that the styles in ``layer_styles`` apply in QGIS itself.

Run with the Python that has PyQGIS (Debian: ``apt-get install qgis python3-qgis xvfb``) under a
virtual display:

    xvfb-run -a /usr/bin/python3 tools/qgis_render.py rounds/2026/ronde.gpkg kaart-qgis.png

Prints one JSON object: the QGIS and GDAL versions, the warnings GDAL gives when it opens the
file (GDAL 3.6 warns on GeoPackage 1.4: "partially supported"), and per layer whether it is valid,
whether ``loadDefaultStyle()`` returned True, its renderer, its categories (value, label, colour)
and its feature count. Exit code 0 when every layer is valid and styled and the PNG is written,
1 otherwise. Uses only the standard library, GDAL's Python bindings and PyQGIS.
"""

from __future__ import annotations

import json
import os
import sys

LAYERS = ("wijken", "aandachtsgebieden", "scholen")  # bottom to top


def gdal_warnings(path: str) -> list[str]:
    from osgeo import gdal

    found = []
    gdal.PushErrorHandler(lambda _class, _number, message: found.append(message))
    try:
        gdal.OpenEx(path, gdal.OF_VECTOR)
    finally:
        gdal.PopErrorHandler()
    return found


def describe(layer) -> dict:
    renderer = layer.renderer()
    about = {"valid": layer.isValid(), "renderer": renderer.type() if renderer else None,
             "features": layer.featureCount(), "labels": layer.labelsEnabled()}
    if renderer is not None and renderer.type() == "categorizedSymbol":
        about["categories"] = [(str(c.value()), c.label(), c.symbol().color().name()) for c in renderer.categories()]
    return about


def main(path: str, png: str, size: int = 1400) -> int:
    from osgeo import gdal
    from qgis.core import Qgis, QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsVectorLayer
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    report = {"qgis": Qgis.QGIS_VERSION, "gdal": gdal.__version__, "gdal_warnings": gdal_warnings(path), "layers": {}}
    app = QgsApplication([], False)
    app.initQgis()
    layers, ok = {}, True
    for name in LAYERS:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        message, loaded = layer.loadDefaultStyle()
        report["layers"][name] = {"default_style": bool(loaded), "message": message, **describe(layer)}
        ok = ok and layer.isValid() and bool(loaded)
        layers[name] = layer
    settings = QgsMapSettings()
    settings.setLayers([layers[name] for name in reversed(LAYERS)])  # the first layer is drawn on top
    settings.setDestinationCrs(layers["wijken"].crs())
    extent = layers["wijken"].extent()
    extent.scale(1.05)
    settings.setExtent(extent)
    height = round(size * extent.height() / extent.width())
    settings.setOutputSize(QSize(size, height))
    settings.setOutputDpi(150)
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    written = job.renderedImage().save(png, "PNG")
    report["png"] = {"path": png, "written": bool(written), "size": [size, height]}
    if layers["aandachtsgebieden"].featureCount():  # and zoomed in on the aandachtsgebieden, as an analyst looks
        zoom = layers["aandachtsgebieden"].extent()
        zoom.scale(1.3)
        settings.setExtent(zoom)
        settings.setOutputSize(QSize(size, round(size * zoom.height() / zoom.width())))
        job = QgsMapRendererSequentialJob(settings)
        job.start()
        job.waitForFinished()
        zoomed = png.removesuffix(".png") + "-zoom.png"
        report["zoom_png"] = {"path": zoomed, "written": bool(job.renderedImage().save(zoomed, "PNG"))}
        written = written and report["zoom_png"]["written"]
    print(json.dumps(report, ensure_ascii=False, indent=1), flush=True)
    return 0 if ok and written else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    # os._exit: PyQGIS 3.22 can crash while tearing its application down after the work is done
    os._exit(main(sys.argv[1], sys.argv[2]))
