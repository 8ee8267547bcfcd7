extends SceneTree
func _walk(n, out):
	var d = {"name": n.name, "class": n.get_class()}
	if n is MeshInstance:
		d["visible"] = n.is_visible_in_tree()
		var m = n.mesh
		d["mesh"] = m.resource_name if m else ""
		d["mesh_id"] = m.get_instance_id() if m else 0
		var textured = false
		if m:
			for s in range(m.get_surface_count()):
				var mat = n.get_surface_material(s)
				if mat == null:
					mat = m.surface_get_material(s)
				if mat != null and mat is SpatialMaterial and mat.albedo_texture != null:
					textured = true
		d["textured"] = textured
	if n is CollisionShape:
		d["shape"] = n.shape.get_class() if n.shape else ""
	out.append(d)
	for c in n.get_children():
		_walk(c, out)
func _init():
	var path = OS.get_environment("HYWORLD_SCENE")
	var scene = load(path)
	if scene == null:
		print("HYWORLD_JSON null")
		quit(3)
		return
	var root = scene.instance()
	var out = []
	_walk(root, out)
	print("HYWORLD_JSON " + to_json(out))
	quit()
